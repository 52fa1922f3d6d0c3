#include "cli/json_text.hpp"

namespace lanetorrent::cli {

std::string json_text(nlohmann::json const& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lanetorrent::cli
