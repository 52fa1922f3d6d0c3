// Where an instance keeps its settings and state. One profile per running instance: the default
// follows the XDG base directory spec; `--profile DIR` puts everything under DIR so several
// instances (and tests) run side by side without seeing each other's state.
#pragma once

#include <filesystem>

#include "base/result.hpp"

namespace lanetorrent {

class Profile {
  public:
    // $XDG_CONFIG_HOME/lanetorrent and $XDG_DATA_HOME/lanetorrent, with the spec's fallbacks
    // (~/.config, ~/.local/share) when the variables are unset or not absolute.
    static Profile from_environment();
    // DIR/config and DIR/data.
    static Profile in_directory(std::filesystem::path const& dir);

    std::filesystem::path const& config_dir() const { return config_dir_; }
    std::filesystem::path const& data_dir() const { return data_dir_; }
    std::filesystem::path resume_dir() const { return data_dir_ / "resume"; }
    std::filesystem::path session_state_file() const { return data_dir_ / "session.state"; }

    // Creates the directories (mode 0700: resume data names what a user downloads).
    Status create_directories() const;

  private:
    Profile(std::filesystem::path config, std::filesystem::path data)
        : config_dir_(std::move(config)), data_dir_(std::move(data)) {}

    std::filesystem::path config_dir_;
    std::filesystem::path data_dir_;
};

}  // namespace lanetorrent
