#include "host/wire/multistream/message.h"

#include "host/base/encoding/varint.h"

namespace prowl::multistream {
namespace {

bool set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

size_t framed_size(size_t text_size) {
  return encoding::varint_size(text_size + 1) + text_size + 1;
}

}  // namespace

bool check_protocol_id(std::string_view id, std::string* error) {
  if (id.empty()) return set_error(error, "empty protocol id");
  if (id.size() >= kMaxMessageBytes)
    return set_error(error, "protocol id is " + std::to_string(id.size()) + " bytes, limit " +
                                std::to_string(kMaxMessageBytes - 1));
  size_t bad_at = 0;
  if (!is_utf8({reinterpret_cast<const uint8_t*>(id.data()), id.size()}, &bad_at))
    return set_error(error, "protocol id is not UTF-8 at byte " + std::to_string(bad_at));
  if (id.find('\n') != std::string_view::npos)
    return set_error(error, "protocol id holds a newline");
  if (id == kNotAvailable || id == kList)
    return set_error(error, "protocol id '" + std::string(id) + "' is reserved");
  return true;
}

bool is_utf8(std::span<const uint8_t> text, size_t* bad_at) noexcept {
  size_t i = 0;
  while (i < text.size()) {
    const uint8_t lead = text[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Continuation bytes, smallest code point allowed, and the lead's bits.
    size_t extra = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if ((lead & 0xe0) == 0xc0) {
      extra = 1;
      min = 0x80;
      cp = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
      extra = 2;
      min = 0x800;
      cp = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
      extra = 3;
      min = 0x10000;
      cp = lead & 0x07u;
    } else {
      break;
    }
    if (text.size() - i <= extra) break;
    size_t k = 1;
    for (; k <= extra && (text[i + k] & 0xc0) == 0x80; ++k) cp = (cp << 6) | (text[i + k] & 0x3fu);
    if (k <= extra || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) break;
    i += extra + 1;
  }
  if (i == text.size()) return true;
  if (bad_at) *bad_at = i;
  return false;
}

void append_message(std::vector<uint8_t>& out, std::string_view text) {
  encoding::append_varint(out, text.size() + 1);
  out.insert(out.end(), text.begin(), text.end());
  out.push_back('\n');
}

void append_list_answer(std::vector<uint8_t>& out, std::span<const std::string> ids) {
  std::vector<uint8_t> body;
  for (const auto& id : ids) {
    // The body plus its closing newline must stay within kMaxMessageBytes.
    if (body.size() + framed_size(id.size()) + 1 > kMaxMessageBytes) continue;
    append_message(body, id);
  }
  append_message(out, {reinterpret_cast<const char*>(body.data()), body.size()});
}

}  // namespace prowl::multistream
