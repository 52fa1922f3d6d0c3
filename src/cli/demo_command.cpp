#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
namespace lanetorrent::cli {
int run_demo(DemoOptions const&) {
    return fail(exit_failure, "demo: not yet");
}
}  // namespace lanetorrent::cli
