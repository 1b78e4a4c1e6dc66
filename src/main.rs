//! The `gridkeeper` command: parse the command line, call the library, map the outcome to
//! an exit code (0 no errors, 1 findings of severity error, 2 could not run).

mod cli;

fn main() {
    std::process::exit(cli::run());
}
