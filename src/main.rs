fn main() -> std::process::ExitCode {
    tryloyw::cli::main()
}
