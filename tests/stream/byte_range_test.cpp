#include "stream/byte_range.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stream/http_server.hpp"
#include "stream/media_type.hpp"

namespace lanetorrent::stream {
namespace {

using Kind = RangeDecision::Kind;
constexpr std::int64_t size = 1000;

void expect_part(std::string const& header, std::int64_t begin, std::int64_t end) {
    RangeDecision const d = decide_range(header, size);
    EXPECT_EQ(d.kind, Kind::part) << header;
    EXPECT_EQ(d.begin, begin) << header;
    EXPECT_EQ(d.end, end) << header;
}

void expect_whole(std::string const& header) {
    RangeDecision const d = decide_range(header, size);
    EXPECT_EQ(d.kind, Kind::whole) << header;
    EXPECT_EQ(d.begin, 0) << header;
    EXPECT_EQ(d.end, size) << header;
}

void expect_unsatisfiable(std::string const& header) {
    EXPECT_EQ(decide_range(header, size).kind, Kind::unsatisfiable) << header;
}

TEST(ByteRangeTest, ClosedRangeIsInclusive) {
    expect_part("bytes=0-0", 0, 1);
    expect_part("bytes=0-499", 0, 500);
    expect_part("bytes=500-999", 500, 1000);
    expect_part("bytes=999-999", 999, 1000);
}

TEST(ByteRangeTest, OpenRangeRunsToTheEnd) {
    expect_part("bytes=0-", 0, 1000);
    expect_part("bytes=48-", 48, 1000);
    expect_part("bytes=999-", 999, 1000);
}

TEST(ByteRangeTest, SuffixRangeIsTheLastBytes) {
    expect_part("bytes=-1", 999, 1000);
    expect_part("bytes=-100", 900, 1000);
    // A suffix longer than the file is the whole file, as a 206.
    expect_part("bytes=-5000", 0, 1000);
}

TEST(ByteRangeTest, LastPositionPastTheEndIsClamped) {
    expect_part("bytes=900-5000", 900, 1000);
    expect_part("bytes=0-99999999999999999999999999", 0, 1000);
}

TEST(ByteRangeTest, StartAtOrPastTheEndIsUnsatisfiable) {
    expect_unsatisfiable("bytes=1000-");
    expect_unsatisfiable("bytes=1000-2000");
    expect_unsatisfiable("bytes=99999999999999999999999-");
    expect_unsatisfiable("bytes=-0");
    expect_unsatisfiable("bytes=1000-,2000-");
}

TEST(ByteRangeTest, SpacesUnitCaseAndEmptyListElementsAreAccepted) {
    expect_part("  bytes=10-20  ", 10, 21);
    expect_part("Bytes=10-20", 10, 21);
    expect_part("BYTES=10-", 10, 1000);
    expect_part("bytes= 10-20", 10, 21);
    expect_part("bytes=10-20,", 10, 21);
    expect_part("bytes=, 10-20 ,", 10, 21);
}

TEST(ByteRangeTest, MalformedHeadersAreIgnored) {
    for (std::string const& header : std::vector<std::string>{
             "", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=10", "bytes=20-10",
             "bytes=1-2-3", "bytes=+1-2", "bytes=0x10-", "bytes=10 - 20", "bytes=--5", "items=0-10",
             "bytes 0-10", "bytes=0-10;x", "=0-10", "bytes=,", "bytes=-1-"}) {
        expect_whole(header);
    }
}

TEST(ByteRangeTest, SeveralRangesGetTheWholeFile) {
    expect_whole("bytes=0-10,20-30");
    expect_whole("bytes=0-10, -5");
    // One satisfiable among unsatisfiable ones is still several ranges: whole file.
    expect_whole("bytes=0-10,5000-");
}

TEST(ByteRangeTest, OverlongHeadersAreIgnored) {
    std::string header = "bytes=0-10";
    header.append(max_range_header, ' ');
    expect_whole(header);
    std::string many = "bytes=0-0";
    for (int i = 1; i < 100; ++i) many += "," + std::to_string(i) + "-" + std::to_string(i);
    ASSERT_LE(many.size(), max_range_header);
    expect_whole(many);
}

TEST(ByteRangeTest, AnEmptyFileIsAlwaysSentWhole) {
    EXPECT_EQ(decide_range("bytes=0-", 0).kind, Kind::whole);
    EXPECT_EQ(decide_range("bytes=-10", 0).kind, Kind::whole);
}

TEST(ByteRangeTest, ContentRangeValues) {
    EXPECT_EQ(content_range(decide_range("bytes=0-", size), size), "bytes 0-999/1000");
    EXPECT_EQ(content_range(decide_range("bytes=-10", size), size), "bytes 990-999/1000");
    EXPECT_EQ(content_range(decide_range("bytes=5000-", size), size), "bytes */1000");
}

TEST(MediaTypeTest, CommonContainers) {
    EXPECT_EQ(media_type_for("movie.mp4"), "video/mp4");
    EXPECT_EQ(media_type_for("Movie.M4V"), "video/mp4");
    EXPECT_EQ(media_type_for("a.b.mkv"), "video/x-matroska");
    EXPECT_EQ(media_type_for("clip.webm"), "video/webm");
    EXPECT_EQ(media_type_for("old.avi"), "video/x-msvideo");
    EXPECT_EQ(media_type_for("phone.MOV"), "video/quicktime");
    EXPECT_EQ(media_type_for("broadcast.ts"), "video/mp2t");
    EXPECT_EQ(media_type_for("song.mp3"), "audio/mpeg");
    EXPECT_EQ(media_type_for("song.m4a"), "audio/mp4");
    EXPECT_EQ(media_type_for("song.flac"), "audio/flac");
    EXPECT_EQ(media_type_for("song.ogg"), "audio/ogg");
    EXPECT_EQ(media_type_for("video.ogv"), "video/ogg");
    EXPECT_EQ(media_type_for("sound.wav"), "audio/wav");
    EXPECT_EQ(media_type_for("subs.vtt"), "text/vtt; charset=utf-8");
    EXPECT_EQ(media_type_for("subs.srt"), "text/plain; charset=utf-8");
}

TEST(MediaTypeTest, UnknownOrMissingExtensionIsOctetStream) {
    EXPECT_EQ(media_type_for("README"), "application/octet-stream");
    EXPECT_EQ(media_type_for("archive.zip"), "application/octet-stream");
    EXPECT_EQ(media_type_for("trailing."), "application/octet-stream");
    EXPECT_EQ(media_type_for(".mp4x"), "application/octet-stream");
    EXPECT_EQ(media_type_for(""), "application/octet-stream");
}

TEST(UrlEncodeTest, KeepsUnreservedAndEscapesTheRest) {
    EXPECT_EQ(url_encode("Movie_1.2-x~.mkv"), "Movie_1.2-x~.mkv");
    EXPECT_EQ(url_encode("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
    EXPECT_EQ(url_encode(".."), "..");
    EXPECT_EQ(url_encode("\xc3\xa9t\xc3\xa9.mp4"), "%C3%A9t%C3%A9.mp4");
}

}  // namespace
}  // namespace lanetorrent::stream
