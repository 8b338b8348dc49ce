/// mimalloc instead of the system allocator: a build makes and drops many small strings
/// (about a fifth of a profile was malloc and free), and on the 20,000-page benchmark site
/// mimalloc cuts the build's CPU time by about 38 % and its wall time by about 28 %, for about
/// 17 % more peak memory (see the commit that added it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tryloyw::cli::main()
}
