// The Tron node a profile uses, as the desktop app saves it (Settings > Node), read without Qt so
// the CLI dials the same node as the GUI in the same profile. The presets' endpoints live here
// only; ui/base/app_settings writes the choice and reads the endpoints from here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/profile.hpp"
#include "base/result.hpp"
#include "tron/client.hpp"

namespace lanetorrent::wallet {

enum class NodePreset { local_devnet, nile, shasta, mainnet, custom };

char const* to_key(NodePreset preset);  // "local_devnet", ... as the settings file spells it
std::optional<NodePreset> preset_from_key(std::string_view key);

// A preset's endpoints (TronGrid's, tron-facts.md section 8). Custom has none of its own: the
// local devnet's stand in until the user enters addresses.
tron::NodeConfig preset_node(NodePreset preset);

// What the profile's settings file says about the node, with every field the file leaves out at
// the app's default.
struct SavedNode {
    tron::NodeConfig node;
    std::string asset = "1002000";  // TRC-10 id lanes are paid in
};

// <config>/lanetorrent.ini, the QSettings (IniFormat) file of the desktop app.
std::filesystem::path settings_file(Profile const& profile);

// The [node] section of that file: nullopt when the file does not exist or names no node (a
// profile the desktop app never configured). A file that cannot be read is an error; one larger
// than 1 MiB too (settings are a few hundred bytes).
Result<std::optional<SavedNode>> read_saved_node(std::filesystem::path const& file);

}  // namespace lanetorrent::wallet
