// cli_args.cpp — (being written)
