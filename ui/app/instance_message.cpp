#include "app/instance_message.hpp"

#include <QDataStream>
#include <QIODevice>
#include <QtEndian>

namespace lanetorrent::ui {
namespace {

constexpr quint32 magic = 0x4c54'4931;   // "LTI1"
constexpr quint32 max_frame = 1u << 20;  // a few thousand magnet links; anything bigger is noise
constexpr int header_size = sizeof(quint32);

}  // namespace

QByteArray encode(InstanceMessage const& message) {
    QByteArray payload;
    QDataStream out(&payload, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << magic << message.skip_dialog << message.sources;
    QByteArray frame(header_size, '\0');
    qToBigEndian<quint32>(static_cast<quint32>(payload.size()), frame.data());
    return frame + payload;
}

Decoded decode(QByteArray& buffer) {
    if (buffer.size() < header_size) return {};
    auto const size = qFromBigEndian<quint32>(buffer.constData());
    if (size > max_frame) return {.message = std::nullopt, .malformed = true};
    if (buffer.size() < header_size + static_cast<qsizetype>(size)) return {};
    QByteArray const payload = buffer.mid(header_size, size);
    buffer.remove(0, header_size + size);

    QDataStream in(payload);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 found_magic = 0;
    InstanceMessage message;
    in >> found_magic >> message.skip_dialog >> message.sources;
    if (in.status() != QDataStream::Ok || found_magic != magic || !in.atEnd()) {
        return {.message = std::nullopt, .malformed = true};
    }
    return {.message = std::move(message), .malformed = false};
}

}  // namespace lanetorrent::ui
