#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/format.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "engine/printable_text.hpp"
#include "engine/torrent_source.hpp"

namespace lanetorrent::cli {

namespace {

nlohmann::json to_json(TorrentDescription const& d) {
    nlohmann::json files = nlohmann::json::array();
    for (auto const& file : d.files) {
        if (!file.pad) files.push_back({{"path", file.path}, {"size", file.size}});
    }
    nlohmann::json out = {{"id", d.id},
                          {"name", d.name},
                          {"info_hash_v1", d.info_hash_v1},
                          {"info_hash_v2", d.info_hash_v2},
                          {"has_metadata", d.has_metadata},
                          {"trackers", d.trackers},
                          {"web_seeds", d.web_seeds}};
    if (d.has_metadata) {
        out["size"] = d.total_size;
        out["piece_size"] = d.piece_size;
        out["pieces"] = d.num_pieces;
        out["private"] = d.is_private;
        out["comment"] = d.comment;
        out["creator"] = d.creator;
        out["files"] = files;
    }
    return out;
}

// Names, paths, comments and URLs are the torrent author's text: printed escaped, so that no
// control sequence in them reaches the terminal.
void print_text(TorrentDescription const& d) {
    auto const p = [](std::string const& text) { return printable_text(text); };
    fmt::print("name:       {}\n", d.name.empty() ? "(unknown)" : p(d.name));
    if (!d.info_hash_v1.empty()) fmt::print("info-hash:  {} (v1)\n", d.info_hash_v1);
    if (!d.info_hash_v2.empty()) fmt::print("info-hash:  {} (v2)\n", d.info_hash_v2);
    if (d.has_metadata) {
        fmt::print("size:       {} ({} bytes)\n", format_bytes(d.total_size), d.total_size);
        fmt::print("pieces:     {} x {}\n", d.num_pieces, format_bytes(d.piece_size));
        fmt::print("private:    {}\n", d.is_private ? "yes" : "no");
        if (!d.comment.empty()) fmt::print("comment:    {}\n", p(d.comment));
        if (!d.creator.empty()) fmt::print("created by: {}\n", p(d.creator));
        fmt::print("files:\n");
        for (auto const& file : d.files) {
            if (!file.pad) fmt::print("  {:>10}  {}\n", format_bytes(file.size), p(file.path));
        }
    } else {
        fmt::print("metadata:   not in a magnet link; fetched from peers when downloading\n");
    }
    fmt::print("trackers:{}\n", d.trackers.empty() ? " none" : "");
    for (auto const& tracker : d.trackers) fmt::print("  {}\n", p(tracker));
    if (!d.web_seeds.empty()) fmt::print("web seeds:\n");
    for (auto const& seed : d.web_seeds) fmt::print("  {}\n", p(seed));
}

}  // namespace

int run_info(InfoOptions const& options) {
    LoadWarnings warnings;
    auto params = load_torrent_source(options.source, &warnings);
    if (!params) {
        return fail(looks_like_magnet(options.source) ? exit_usage : exit_failure, params.error());
    }
    for (auto const& warning : warnings) warn(warning);
    auto const description = describe(params.value());
    if (options.json) {
        fmt::print("{}\n", json_text(to_json(description)));
    } else {
        print_text(description);
    }
    return exit_success;
}

}  // namespace lanetorrent::cli
