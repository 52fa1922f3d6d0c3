// A small HTTP/1.1 byte-range server on 127.0.0.1 for the player tests, on the test's event loop:
// GET and HEAD, `Range: bytes=a-[b]` (206 with Content-Range), 416 past the end, one request per
// connection. Like the stream server it never fails a read of data it does not have yet: bytes at
// or past `available` are held back until set_available() moves the limit, so a test can starve a
// player the way a slow torrent does.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <algorithm>
#include <vector>

namespace lanetorrent::ui::test {

class RangeServer : public QObject {
  public:
    // Serves `body` as /name with `content_type`.
    RangeServer(QByteArray body, QString name, QByteArray content_type)
        : body_(std::move(body)),
          name_(std::move(name)),
          content_type_(std::move(content_type)),
          available_(body_.size()) {
        server_.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server_, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    bool listening() const { return server_.isListening(); }
    QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(server_.serverPort()).arg(name_));
    }
    qint64 size() const { return body_.size(); }
    int requests() const { return requests_; }
    qint64 bytes_sent() const { return sent_; }
    // Bytes [0, bytes) may be sent; a reader past it waits.
    void set_available(qint64 bytes) {
        available_ = std::clamp<qint64>(bytes, 0, body_.size());
        for (std::size_t i = 0; i < connections_.size(); ++i) pump(connections_[i]);
    }

  private:
    struct Connection {
        QPointer<QTcpSocket> socket;
        QByteArray request;
        bool responding = false;
        qint64 next = 0;  // next body byte to send
        qint64 end = 0;   // one past the last
    };

    void accept() {
        while (auto* socket = server_.nextPendingConnection()) {
            connections_.push_back({socket, {}, false, 0, 0});
            QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                if (auto* c = find(socket)) read(*c);
            });
            QObject::connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
                if (auto* c = find(socket)) pump(*c);
            });
            // Queued: disconnectFromHost() may emit disconnected() at once, inside pump().
            QObject::connect(
                socket, &QTcpSocket::disconnected, this,
                [this, socket] {
                    std::erase_if(connections_,
                                  [socket](auto const& c) { return c.socket == socket; });
                    socket->deleteLater();
                },
                Qt::QueuedConnection);
        }
    }

    Connection* find(QTcpSocket* socket) {
        for (auto& c : connections_) {
            if (c.socket == socket) return &c;
        }
        return nullptr;
    }

    void read(Connection& c) {
        if (c.responding) {
            c.socket->readAll();
            return;
        }
        c.request += c.socket->readAll();
        if (c.request.size() > 16 * 1024) {
            c.socket->abort();
            return;
        }
        auto const head_end = c.request.indexOf("\r\n\r\n");
        if (head_end < 0) return;
        ++requests_;
        c.responding = true;
        auto const lines = c.request.left(head_end).split('\n');
        bool const head = lines.value(0).startsWith("HEAD ");
        qint64 begin = 0;
        qint64 last = body_.size() - 1;
        bool ranged = false;
        for (auto const& raw : lines) {
            auto const line = raw.trimmed();
            if (!line.toLower().startsWith("range:")) continue;
            auto spec = line.mid(6).trimmed();
            if (!spec.startsWith("bytes=")) continue;
            auto const parts = spec.mid(6).split('-');
            ranged = true;
            begin = parts.value(0).toLongLong();
            if (!parts.value(1).isEmpty()) last = std::min(last, parts.value(1).toLongLong());
        }
        QByteArray response;
        if (ranged && begin >= body_.size()) {
            response = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" +
                       QByteArray::number(body_.size()) +
                       "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            c.socket->write(response);
            c.socket->disconnectFromHost();
            return;
        }
        qint64 const length = last - begin + 1;
        response = ranged ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
        response += "Content-Type: " + content_type_ + "\r\nAccept-Ranges: bytes\r\n";
        if (ranged) {
            response += "Content-Range: bytes " + QByteArray::number(begin) + '-' +
                        QByteArray::number(last) + '/' + QByteArray::number(body_.size()) + "\r\n";
        }
        response +=
            "Content-Length: " + QByteArray::number(length) + "\r\nConnection: close\r\n\r\n";
        c.socket->write(response);
        c.next = begin;
        c.end = head ? begin : last + 1;
        pump(c);
    }

    // Writes what may be sent, a little at a time so a held-back reader stays cheap.
    void pump(Connection& c) {
        if (!c.responding || !c.socket) return;
        constexpr qint64 chunk = 64 * 1024;
        while (c.next < c.end && c.next < available_ && c.socket->bytesToWrite() < 4 * chunk) {
            qint64 const n = std::min({chunk, c.end - c.next, available_ - c.next});
            c.socket->write(body_.constData() + c.next, n);
            c.next += n;
            sent_ += n;
        }
        if (c.next >= c.end) {
            c.responding = false;  // closes once flushed; no second request on this connection
            c.end = -1;
            c.socket->disconnectFromHost();
        }
    }

    QTcpServer server_;
    QByteArray body_;
    QString name_;
    QByteArray content_type_;
    qint64 available_ = 0;
    std::vector<Connection> connections_;
    int requests_ = 0;
    qint64 sent_ = 0;
};

}  // namespace lanetorrent::ui::test
