// A QR code drawn crisp: whole pixels per module, no smoothing, and the four-module quiet zone
// scanners need around it. Encoded with libqrencode.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

namespace lanetorrent::ui {

class QrCodeWidget : public QWidget {
    Q_OBJECT
  public:
    static constexpr int quiet_zone = 4;  // modules of white on each side (ISO/IEC 18004)

    explicit QrCodeWidget(QWidget* parent = nullptr);

    void set_text(QString const& text);
    QString text() const { return text_; }
    int modules() const { return size_; }  // modules per side, 0 when there is nothing to show
    bool dark(int x, int y) const { return modules_[std::size_t(y * size_ + x)]; }
    // The code with its quiet zone at `scale` pixels per module.
    QImage render(int scale) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QString text_;
    int size_ = 0;
    std::vector<bool> modules_;
};

}  // namespace lanetorrent::ui
