// The add dialog: what the torrent is (name, size, files), where it goes, which files to fetch,
// which lane to buy and whether to start paused. It only builds an AddRequest; the caller adds it.
// For a magnet it fetches the metadata while open (Session::fetch_metadata, as qBittorrent does):
// "Fetching metadata…", then the files, the total and each lane's price for it. Closing the dialog
// without adding drops the fetch; adding takes its metadata over.
#pragma once

#include <QDialog>
#include <optional>

#include "base/session.hpp"
#include "base/torrent_sources.hpp"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace lanetorrent::ui {

class AppSettings;
class LanePicker;
class WalletService;

class AddTorrentDialog : public QDialog {
    Q_OBJECT
  public:
    // Loads and validates a .torrent path or magnet URI; the error is for a person.
    static Result<TorrentDescription> describe_source(QString const& source);

    // `balance`: the last token balance the wallet reported, if any.
    AddTorrentDialog(QString source, TorrentDescription description, Session& session,
                     WalletService& wallet, AppSettings& settings,
                     std::optional<lanes::Units> balance, QWidget* parent = nullptr);
    ~AddTorrentDialog() override;

    AddRequest request() const;
    TorrentDescription const& description() const { return description_; }
    LanePicker* lane_picker() const { return picker_; }
    // `file` is the torrent's file index (pad files included, as libtorrent counts).
    void set_file_wanted(int file, bool wanted);
    void set_save_path(QString const& path);
    void set_start_paused(bool paused);
    void set_play(bool play);
    // A magnet whose metadata is being fetched (false once it arrived or for a .torrent).
    bool fetching_metadata() const { return fetching_; }
    QString summary_text() const;

  signals:
    void metadataArrived();

  private:
    void fill_files();
    void start_metadata_fetch();
    void on_metadata_fetched(QString const& id);
    void update_selection();
    qint64 wanted_bytes() const;

    QString source_;
    TorrentDescription description_;
    Session& session_;
    AppSettings& settings_;
    bool fetching_ = false;
    bool fetch_started_ = false;
    QString fetch_error_;
    LanePicker* picker_ = nullptr;
    QLabel* summary_ = nullptr;
    QTreeWidget* files_ = nullptr;
    QLineEdit* save_path_ = nullptr;
    QCheckBox* paused_ = nullptr;
    QCheckBox* play_ = nullptr;
    QPushButton* ok_ = nullptr;
};

}  // namespace lanetorrent::ui
