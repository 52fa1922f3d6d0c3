// What a second launch tells the running instance: the sources to add and whether to skip the add
// dialog. A length-prefixed QDataStream frame, so a reader knows when it has all of it; the answer
// is a one-byte acknowledgement.
#pragma once

#include <QByteArray>
#include <QStringList>
#include <optional>

namespace lanetorrent::ui {

struct InstanceMessage {
    QStringList sources;
    bool skip_dialog = false;

    friend bool operator==(InstanceMessage const&, InstanceMessage const&) = default;
};

inline constexpr char instance_ack = 'A';

QByteArray encode(InstanceMessage const& message);

// From the front of `buffer`: a message (and the frame is removed from the buffer), nothing yet
// (an incomplete frame stays), or an error for a frame that is not ours.
struct Decoded {
    std::optional<InstanceMessage> message;
    bool malformed = false;
};
Decoded decode(QByteArray& buffer);

}  // namespace lanetorrent::ui
