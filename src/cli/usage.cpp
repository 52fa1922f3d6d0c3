#include "cli/usage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace lanetorrent::cli {

namespace {

// What a message may quote of an argument: enough to recognise it, one line.
std::string shown(std::string_view text) {
    constexpr std::size_t limit = 40;
    std::string out;
    for (char c : text.substr(0, limit)) {
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return text.size() > limit ? out + "..." : out;
}

// The subcommands the user chose, outermost first: lanetorrent-cli, wallet, send.
std::vector<CLI::App const*> chosen_commands(CLI::App const& app) {
    std::vector<CLI::App const*> chain{&app};
    while (true) {
        auto const parsed =
            chain.back()->get_subcommands([](CLI::App const* sub) { return sub->parsed(); });
        if (parsed.empty()) return chain;
        chain.push_back(parsed.front());
    }
}

std::vector<CLI::App const*> subcommands_of(CLI::App const& app) {
    return app.get_subcommands([](CLI::App const*) { return true; });
}

std::string command_path(std::vector<CLI::App const*> const& chain) {
    std::string path;
    for (auto const* command : chain) path += (path.empty() ? "" : " ") + command->get_name();
    return path;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Three rows of the dynamic programme: the one two back is what a swap looks at.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t const cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
}

std::optional<std::string> closest(std::string_view typed,
                                   std::vector<std::string> const& candidates) {
    auto const bare = typed.substr(std::min(typed.find_first_not_of('-'), typed.size()));
    std::size_t const allowed = std::clamp<std::size_t>(bare.size() / 3, 1, 3);
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    for (auto const& candidate : candidates) {
        auto const distance = edit_distance(typed, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    if (best) return best;
    // "--pass" for "--passphrase-file": a unique prefix of three letters or more.
    if (bare.size() < 3) return std::nullopt;
    std::optional<std::string> only;
    for (auto const& candidate : candidates) {
        if (candidate.size() > typed.size() && candidate.compare(0, typed.size(), typed) == 0) {
            if (only) return std::nullopt;
            only = candidate;
        }
    }
    return only;
}

std::optional<std::string> unknown_argument_hint(CLI::App const& app) {
    auto const unplaced = app.remaining(true);
    if (unplaced.empty()) return std::nullopt;
    auto const chain = chosen_commands(app);
    auto const& last = *chain.back();
    for (auto const& argument : unplaced) {
        if (argument.size() > 1 && argument.front() == '-') {
            // Options fall through to the commands around them, so all of the chain's count.
            auto const name = argument.substr(0, argument.find('='));
            std::vector<std::string> names;
            for (auto const* command : chain) {
                for (auto const* option : command->get_options()) {
                    if (option->get_group().empty()) continue;  // hidden (tests only)
                    for (auto const& n : option->get_lnames()) names.push_back("--" + n);
                    for (auto const& n : option->get_snames()) names.push_back("-" + n);
                }
            }
            auto const suggestion = closest(name, names);
            if (suggestion) {
                return fmt::format("unknown option '{}'; did you mean '{}'?", shown(name),
                                   *suggestion);
            }
            return fmt::format("unknown option '{}' for '{}' (see {} --help)", shown(name),
                               command_path(chain), command_path(chain));
        }
        auto const subcommands = subcommands_of(last);
        if (subcommands.empty()) continue;  // an extra value, which CLI11's own message names
        std::vector<std::string> names;
        for (auto const* sub : subcommands) names.push_back(sub->get_name());
        auto const what = chain.size() == 1
                              ? std::string("command")
                              : command_path(chain).substr(app.get_name().size() + 1) + " command";
        if (auto const suggestion = closest(argument, names)) {
            return fmt::format("unknown {} '{}'; did you mean '{}'?", what, shown(argument),
                               *suggestion);
        }
        return fmt::format("unknown {} '{}'; the commands are {}", what, shown(argument),
                           fmt::join(names, ", "));
    }
    return std::nullopt;
}

CLI::Validator whole_number(std::int64_t min, std::int64_t max, std::string unit) {
    auto const range = fmt::format("{}..{}{}", min, max, unit.empty() ? "" : " " + unit);
    return CLI::Validator(
        [min, max, unit](std::string& text) -> std::string {
            std::int64_t value = 0;
            auto const* end = text.data() + text.size();
            auto const [stop, error] = std::from_chars(text.data(), end, value);
            bool const in_range =
                error == std::errc() && stop == end && value >= min && value <= max;
            if (in_range) return {};
            // A number too large for an int64 is still a number out of range, not garbage.
            bool const number =
                stop == end && (error == std::errc() || error == std::errc::result_out_of_range);
            return fmt::format("must be {}between {} and {}{}, got {}",
                               number ? "" : "a whole number ", min, max,
                               unit.empty() ? "" : " " + unit, shown(text));
        },
        range);
}

}  // namespace lanetorrent::cli
