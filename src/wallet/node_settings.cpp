#include "wallet/node_settings.hpp"

#include <map>
#include <sstream>

#include "base/atomic_file.hpp"

namespace lanetorrent::wallet {

namespace {

constexpr std::size_t max_settings_bytes = 1024 * 1024;

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// QSettings writes a string in double quotes when it holds a character its ini format reserves
// (',', ';', '=', '"', leading or trailing spaces), with backslash escapes inside; anything else
// as is. Addresses, preset names, an asset id and an API key need no more than that.
std::string ini_value(std::string_view raw) {
    raw = trimmed(raw);
    if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return std::string(raw);
    std::string value;
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
        value += raw[i];
    }
    return value;
}

}  // namespace

char const* to_key(NodePreset preset) {
    switch (preset) {
        case NodePreset::local_devnet:
            return "local_devnet";
        case NodePreset::nile:
            return "nile";
        case NodePreset::shasta:
            return "shasta";
        case NodePreset::mainnet:
            return "mainnet";
        case NodePreset::custom:
            return "custom";
    }
    return "local_devnet";
}

std::optional<NodePreset> preset_from_key(std::string_view key) {
    for (auto preset : {NodePreset::local_devnet, NodePreset::nile, NodePreset::shasta,
                        NodePreset::mainnet, NodePreset::custom}) {
        if (key == to_key(preset)) return preset;
    }
    return std::nullopt;
}

tron::NodeConfig preset_node(NodePreset preset) {
    tron::NodeConfig node;  // the local devnet: 127.0.0.1:50051 and :50061
    switch (preset) {
        case NodePreset::local_devnet:
        case NodePreset::custom:
            break;
        case NodePreset::nile:
            node.wallet_address = "grpc.nile.trongrid.io:50051";
            node.solidity_address = "grpc.nile.trongrid.io:50061";
            break;
        case NodePreset::shasta:
            node.wallet_address = "grpc.shasta.trongrid.io:50051";
            node.solidity_address = "grpc.shasta.trongrid.io:50052";
            break;
        case NodePreset::mainnet:
            node.wallet_address = "grpc.trongrid.io:50051";
            node.solidity_address = "grpc.trongrid.io:50052";
            break;
    }
    return node;
}

std::filesystem::path settings_file(Profile const& profile) {
    return profile.config_dir() / "lanetorrent.ini";
}

Result<std::optional<SavedNode>> read_saved_node(std::filesystem::path const& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::optional<SavedNode>{};
    auto bytes = read_file(file, max_settings_bytes);
    if (!bytes) return Error{"the profile's settings: " + bytes.error()};
    std::map<std::string, std::string, std::less<>> node;
    std::istringstream lines(std::string(bytes->begin(), bytes->end()));
    std::string section;
    for (std::string line; std::getline(lines, line);) {
        auto const text = trimmed(line);
        if (text.empty() || text.front() == ';' || text.front() == '#') continue;
        if (text.front() == '[' && text.back() == ']') {
            section = std::string(text.substr(1, text.size() - 2));
            continue;
        }
        auto const equals = text.find('=');
        if (section != "node" || equals == std::string_view::npos) continue;
        node[std::string(trimmed(text.substr(0, equals)))] = ini_value(text.substr(equals + 1));
    }
    if (node.empty()) return std::optional<SavedNode>{};
    SavedNode saved;
    auto const value = [&](std::string_view key) -> std::optional<std::string> {
        auto it = node.find(key);
        return it == node.end() ? std::nullopt : std::optional(it->second);
    };
    // The app's own default when the preset is missing or unknown: the local devnet.
    auto const preset =
        preset_from_key(value("preset").value_or("")).value_or(NodePreset::local_devnet);
    saved.node = preset_node(preset);
    if (preset == NodePreset::custom) {
        if (auto address = value("wallet_address")) saved.node.wallet_address = *address;
        if (auto address = value("solidity_address")) saved.node.solidity_address = *address;
        saved.node.tls = value("tls").value_or("false") == "true";
    }
    saved.node.api_key = value("api_key").value_or("");
    if (auto asset = value("asset"); asset && !asset->empty()) saved.asset = *asset;
    return std::optional(std::move(saved));
}

}  // namespace lanetorrent::wallet
