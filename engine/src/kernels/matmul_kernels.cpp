// matmul_kernels.cpp — the run-time dispatcher: which kernel table this CPU can run. Compiled for baseline x86-64.
#include "kernels/matmul_kernels.h"

#include <cstdlib>

#include "rgemma/machine.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace rgemma {

namespace {

bool cpuHas(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    switch (isa) {
        case Isa::Portable:
            return true;
        case Isa::Avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case Isa::Avx512:
            return cpuHas(Isa::Avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
        case Isa::Avx512Vnni:
            return cpuHas(Isa::Avx512) && __builtin_cpu_supports("avx512vnni");
        case Isa::Avx512Bf16:
            return cpuHas(Isa::Avx512Vnni) && __builtin_cpu_supports("avx512bf16");
    }
#endif
    return isa == Isa::Portable;
}

}  // namespace

std::string_view isaName(Isa isa) {
    switch (isa) {
        case Isa::Portable:
            return "portable";
        case Isa::Avx2:
            return "avx2";
        case Isa::Avx512:
            return "avx512";
        case Isa::Avx512Vnni:
            return "avx512vnni";
        case Isa::Avx512Bf16:
            return "avx512bf16";
    }
    return "portable";
}

std::optional<Isa> isaFromName(std::string_view name) {
    for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
        if (isaName(isa) == name) return isa;
    }
    return std::nullopt;
}

bool isaSupported(Isa isa) {
    // __builtin_cpu_supports also checks that the OS saves the wider registers (XCR0).
    static const bool supported[] = {cpuHas(Isa::Portable), cpuHas(Isa::Avx2), cpuHas(Isa::Avx512),
                                     cpuHas(Isa::Avx512Vnni), cpuHas(Isa::Avx512Bf16)};
    return supported[static_cast<int>(isa)];
}

bool avxVnniSupported() {
    // GCC 12's __builtin_cpu_supports does not know "avxvnni": CPUID leaf 7 subleaf 1, EAX bit 4, read directly; the
    // ymm state the OS must save is what the AVX2 check already asks for.
    static const bool supported = [] {
#if defined(__x86_64__) || defined(__i386__)
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        if (!isaSupported(Isa::Avx2) || __get_cpuid_max(0, nullptr) < 7) return false;
        __cpuid_count(7, 1, eax, ebx, ecx, edx);
        return (eax & (1u << 4)) != 0;
#else
        return false;
#endif
    }();
    return supported;
}

namespace {

struct IsaChoice {
    Isa isa = Isa::Portable;
    const char* requested = nullptr;
    std::string problem;
};

const IsaChoice& isaChoice() {
    static const IsaChoice choice = [] {
        IsaChoice c;
        for (Isa isa : {Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
            if (isaSupported(isa)) c.isa = isa;
        }
        const char* requested = std::getenv("RGEMMA_ISA");
        if (requested == nullptr || *requested == '\0') return c;
        c.requested = requested;
        const std::string fallback = "; using " + std::string(isaName(c.isa));
        if (const auto forced = isaFromName(requested); !forced) {
            c.problem = "RGEMMA_ISA=" + std::string(requested) +
                        " is not a kernel level (portable, avx2, avx512, avx512vnni, avx512bf16)" + fallback;
        } else if (!isaSupported(*forced)) {
            c.problem = "RGEMMA_ISA=" + std::string(requested) + ": this CPU cannot run it" + fallback;
        } else {
            c.isa = *forced;
        }
        return c;
    }();
    return choice;
}

}  // namespace

Isa defaultIsa() { return isaChoice().isa; }
const char* requestedIsa() { return isaChoice().requested; }
std::string isaRequestProblem() { return isaChoice().problem; }

const MatmulKernels& matmulKernels(Isa isa) {
    static const MatmulKernels portable{};
    switch (isa) {
        case Isa::Portable:
            return portable;
        case Isa::Avx2:
            return avx2Kernels();
        case Isa::Avx512:
            return avx512Kernels();
        case Isa::Avx512Vnni:
            return avx512VnniKernels();
        case Isa::Avx512Bf16:
            return avx512Bf16Kernels();
    }
    return portable;
}

}  // namespace rgemma
