#include "gui/qr_code_widget.hpp"

#include <qrencode.h>

#include <QPainter>
#include <memory>

namespace lanetorrent::ui {

QrCodeWidget::QrCodeWidget(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void QrCodeWidget::set_text(QString const& text) {
    text_ = text;
    size_ = 0;
    modules_.clear();
    if (!text.isEmpty()) {
        auto const utf8 = text.toUtf8();
        // Level M survives a smudge or a glare; version 0 lets libqrencode pick the smallest fit.
        std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
            QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
        if (code) {
            size_ = code->width;
            modules_.resize(std::size_t(size_ * size_));
            for (int i = 0; i < size_ * size_; ++i) modules_[std::size_t(i)] = code->data[i] & 1;
        }
    }
    updateGeometry();
    update();
}

QImage QrCodeWidget::render(int scale) const {
    int const side = (size_ + 2 * quiet_zone) * scale;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < size_; ++y) {
        for (int x = 0; x < size_; ++x) {
            if (dark(x, y)) {
                painter.fillRect((x + quiet_zone) * scale, (y + quiet_zone) * scale, scale, scale,
                                 Qt::black);
            }
        }
    }
    return image;
}

QSize QrCodeWidget::sizeHint() const {
    int const side = (std::max(size_, 21) + 2 * quiet_zone) * 5;
    return {side, side};
}

QSize QrCodeWidget::minimumSizeHint() const {
    return sizeHint();
}

void QrCodeWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (size_ == 0) return;
    int const total = size_ + 2 * quiet_zone;
    // Whole device pixels per module: a fractional scale blurs module edges.
    qreal const ratio = devicePixelRatioF();
    int const scale = std::max(1, int(std::min(width(), height()) * ratio) / total);
    auto image = render(scale);
    image.setDevicePixelRatio(ratio);
    QSizeF const logical = QSizeF(image.size()) / ratio;
    painter.drawImage(QPointF((width() - logical.width()) / 2, (height() - logical.height()) / 2),
                      image);
}

}  // namespace lanetorrent::ui
