// Command-line mistakes told as a person would: a mistyped command or option gets the nearest
// real one ("did you mean 'download'?"), and a number out of range names the range in plain
// figures instead of CLI11's type limits (1.79769e+308).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanetorrent::cli {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours ("downlaod" -> "download" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a typo most likely meant: the nearest within a third of the word's length (at
// least 1, at most 3), else the only candidate the word is a prefix of; nullopt when none is
// close enough to guess.
std::optional<std::string> closest(std::string_view typed,
                                   std::vector<std::string> const& candidates);

// After a failed parse: a sentence about the first argument CLI11 could not place, with a
// suggestion when one is close ("unknown command 'downlaod'; did you mean 'download'?"), or
// nullopt when every argument was placed (the error is about a value, not a name).
std::optional<std::string> unknown_argument_hint(CLI::App const& app);

// A whole number in [min, max]; otherwise "must be between 0 and 2097151 KiB/s, got -5" (CLI11
// puts the option's name in front).
CLI::Validator whole_number(std::int64_t min, std::int64_t max, std::string unit = {});

}  // namespace lanetorrent::cli
