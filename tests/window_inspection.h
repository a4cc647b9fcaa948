// window_inspection.h — looking at a real Qt Quick window from a test: its visible items by objectName or by a
// predicate (popups included: they live under the window's overlay), clicks on an item's centre, and the colours of
// text measured on a grab of the window (WCAG relative luminance and contrast ratio).
#pragma once

#include <QColor>
#include <QElapsedTimer>
#include <QHash>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>
#include <cmath>
#include <functional>

// Every visible item under `root` (depth first, in paint order) that `accept` takes.
inline void collectVisibleItems(QQuickItem* root, const std::function<bool(QQuickItem*)>& accept,
                                QList<QQuickItem*>& found) {
    if (!root || !root->isVisible()) return;
    if (accept(root)) found.append(root);
    for (QQuickItem* child : root->childItems()) collectVisibleItems(child, accept, found);
}
inline QList<QQuickItem*> findVisibleItems(QQuickWindow* window, const std::function<bool(QQuickItem*)>& accept) {
    QList<QQuickItem*> found;
    collectVisibleItems(window->contentItem(), accept, found);
    return found;
}
inline QList<QQuickItem*> findVisibleItems(QQuickWindow* window, const QString& objectName) {
    return findVisibleItems(window, [&](QQuickItem* item) { return item->objectName() == objectName; });
}
inline QQuickItem* findVisibleItem(QQuickWindow* window, const std::function<bool(QQuickItem*)>& accept) {
    return findVisibleItems(window, accept).value(0);
}
inline QQuickItem* findVisibleItem(QQuickWindow* window, const QString& objectName) {
    return findVisibleItems(window, objectName).value(0);
}

// A left click at the item's centre, as the user makes it.
inline void clickItem(QQuickWindow* window, QQuickItem* item) {
    QVERIFY(item);
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
}

// Types `text` (Latin-1) into the window's focused item, key by key.
inline void typeText(QQuickWindow* window, const QString& text) {
    for (const QChar c : text) QTest::keyClick(window, c.toLatin1());
}

// `notches` turns of a mouse wheel over the item's centre (positive: up), 20 ms apart.
inline void wheelOver(QQuickWindow* window, QQuickItem* item, int notches) {
    const QPointF at = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < std::abs(notches); ++i) {
        QWheelEvent wheel(at, window->mapToGlobal(at.toPoint()), QPoint(), QPoint(0, notches > 0 ? 120 : -120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        wheel.setTimestamp(ulong(clock.elapsed() + 1000));  // Flickable's wheel speed needs real timestamps
        QCoreApplication::sendEvent(window, &wheel);
        QTest::qWait(20);
    }
}

// The item's rectangle in the grab's pixels.
inline QRect sceneRect(QQuickItem* item, const QImage& grab) {
    const qreal ratio = grab.devicePixelRatio();
    const QRectF scene = item->mapRectToScene(item->boundingRect());
    const QRectF pixels(scene.topLeft() * ratio, scene.size() * ratio);
    return pixels.toAlignedRect().intersected(grab.rect());
}

// WCAG 2.x relative luminance of an sRGB colour.
inline double relativeLuminance(const QColor& colour) {
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF());
}
inline double contrastRatio(const QColor& a, const QColor& b) {
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The colours of text drawn in `area` of a grab: the background is the commonest colour there; the text is the
// colour farthest from it in contrast (the core of a glyph's stroke, where anti-aliasing leaves the pure colour).
struct TextColours {
    QColor text;
    QColor background;
};
inline TextColours textColours(const QImage& grab, const QRect& area) {
    QHash<QRgb, int> counts;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) ++counts[grab.pixel(x, y) | 0xff000000u];
    }
    TextColours colours;
    int most = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > most) {
            most = it.value();
            colours.background = QColor::fromRgb(it.key());
        }
    }
    double best = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const double ratio = contrastRatio(QColor::fromRgb(it.key()), colours.background);
        if (ratio > best) {
            best = ratio;
            colours.text = QColor::fromRgb(it.key());
        }
    }
    return colours;
}
