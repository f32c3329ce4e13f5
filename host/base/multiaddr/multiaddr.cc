#include "host/base/multiaddr/multiaddr.h"

#include <algorithm>

#include "host/base/encoding/varint.h"

namespace prowl::multiaddr {
namespace {

// The protocol table is the only source of codes in a Multiaddr, so lookups
// of codes already validated cannot fail.
const Protocol& protocol_of(const Component& c) { return *find_protocol(c.code); }

size_t binary_size(const std::vector<Component>& components) {
  size_t n = 0;
  for (const auto& c : components) {
    n += encoding::varint_size(c.code) + c.value.size();
    if (!protocol_of(c).fixed_size()) n += encoding::varint_size(c.value.size());
  }
  return n;
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

std::string byte_error(size_t offset, const std::string& message) {
  return "multiaddr byte " + std::to_string(offset) + ": " + message;
}

std::string varint_error(const encoding::VarintResult& r) {
  return r.error ? r.error : "truncated varint";
}

}  // namespace

std::optional<Multiaddr> Multiaddr::parse(std::string_view text, std::string* error) {
  if (text.size() > kMaxTextBytes) {
    fail(error, "multiaddr text is " + std::to_string(text.size()) + " bytes, limit " +
                    std::to_string(kMaxTextBytes));
    return std::nullopt;
  }
  const auto refuse = [&](const std::string& why) {
    fail(error, std::string(text) + ": " + why);
    return std::nullopt;
  };
  if (text.empty()) return refuse("empty multiaddr");
  if (text.front() != '/') return refuse("multiaddr must start with '/'");

  // Returns the segment after the '/' at `pos` and moves `pos` to the next '/'.
  size_t pos = 0;
  const auto next_segment = [&]() {
    const size_t start = pos + 1;
    pos = std::min(text.find('/', start), text.size());
    return text.substr(start, pos - start);
  };

  std::vector<Component> components;
  while (pos < text.size()) {
    const size_t name_at = pos + 1;
    const std::string_view name = next_segment();
    if (name.empty()) {
      if (pos == text.size()) break;  // one trailing '/'
      return refuse("empty protocol name at offset " + std::to_string(name_at));
    }
    const Protocol* protocol = find_protocol(name);
    if (!protocol) return refuse("unknown protocol '" + std::string(name) + "'");
    Component c{protocol->code, {}};
    if (protocol->kind != ValueKind::kNone) {
      if (pos == text.size() || pos + 1 == text.size() || text[pos + 1] == '/')
        return refuse("missing value for /" + std::string(protocol->name));
      std::string why;
      auto value = value_from_text(*protocol, next_segment(), &why);
      if (!value) return refuse(why);
      c.value = std::move(*value);
    }
    components.push_back(std::move(c));
  }
  if (components.empty()) return refuse("empty multiaddr");
  if (binary_size(components) > kMaxBytes)
    return refuse("binary form exceeds " + std::to_string(kMaxBytes) + " bytes");
  return Multiaddr(std::move(components));
}

std::optional<Multiaddr> Multiaddr::from_bytes(std::span<const uint8_t> bytes, std::string* error) {
  const auto refuse = [&](size_t offset, const std::string& why) {
    fail(error, byte_error(offset, why));
    return std::nullopt;
  };
  if (bytes.size() > kMaxBytes) {
    fail(error, "binary multiaddr is " + std::to_string(bytes.size()) + " bytes, limit " +
                    std::to_string(kMaxBytes));
    return std::nullopt;
  }
  if (bytes.empty()) return refuse(0, "empty multiaddr");

  using Status = encoding::VarintResult::Status;
  std::vector<Component> components;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const auto code = encoding::decode_varint(bytes.subspan(pos));
    if (code.status != Status::kOk)
      return refuse(pos, "invalid protocol code: " + varint_error(code));
    const Protocol* protocol =
        code.value <= UINT32_MAX ? find_protocol(static_cast<uint32_t>(code.value)) : nullptr;
    if (!protocol) return refuse(pos, "unknown protocol code " + std::to_string(code.value));
    pos += code.length;

    size_t size = 0;
    if (const auto fixed = protocol->fixed_size()) {
      size = *fixed;
    } else {
      const auto length = encoding::decode_varint(bytes.subspan(pos));
      if (length.status != Status::kOk)
        return refuse(pos, "invalid /" + std::string(protocol->name) +
                               " value length: " + varint_error(length));
      pos += length.length;
      size = static_cast<size_t>(std::min<uint64_t>(length.value, kMaxBytes + 1));
    }
    if (size > bytes.size() - pos)
      return refuse(pos, "truncated /" + std::string(protocol->name) + " value (needs " +
                             std::to_string(size) + " bytes, " +
                             std::to_string(bytes.size() - pos) + " left)");
    const auto value = bytes.subspan(pos, size);
    std::string why;
    if (!check_value(*protocol, value, &why)) return refuse(pos, why);
    components.push_back({protocol->code, {value.begin(), value.end()}});
    pos += size;
  }
  return Multiaddr(std::move(components));
}

std::optional<Multiaddr> Multiaddr::from_components(std::vector<Component> components,
                                                    std::string* error) {
  if (components.empty()) {
    fail(error, "empty multiaddr");
    return std::nullopt;
  }
  for (size_t i = 0; i < components.size(); ++i) {
    const Protocol* protocol = find_protocol(components[i].code);
    std::string why = "unknown protocol code " + std::to_string(components[i].code);
    if (!protocol || !check_value(*protocol, components[i].value, &why)) {
      fail(error, "multiaddr component " + std::to_string(i) + ": " + why);
      return std::nullopt;
    }
  }
  if (binary_size(components) > kMaxBytes) {
    fail(error, "multiaddr binary form exceeds " + std::to_string(kMaxBytes) + " bytes");
    return std::nullopt;
  }
  return Multiaddr(std::move(components));
}

std::string Multiaddr::to_string() const {
  std::string out;
  for (const auto& c : components_) {
    const Protocol& protocol = protocol_of(c);
    out += '/';
    out += protocol.name;
    if (protocol.kind == ValueKind::kNone) continue;
    out += '/';
    out += value_to_text(protocol, c.value);
  }
  return out;
}

std::vector<uint8_t> Multiaddr::bytes() const {
  std::vector<uint8_t> out;
  out.reserve(binary_size(components_));
  for (const auto& c : components_) {
    encoding::append_varint(out, c.code);
    if (!protocol_of(c).fixed_size()) encoding::append_varint(out, c.value.size());
    out.insert(out.end(), c.value.begin(), c.value.end());
  }
  return out;
}

std::optional<TcpEndpoint> Multiaddr::tcp_endpoint() const {
  if (components_.size() < 2 || components_[1].code != kTcp) return std::nullopt;
  const Component& host = components_[0];
  switch (host.code) {
    case kIp4:
    case kIp6:
    case kDns:
    case kDns4:
    case kDns6:
      break;
    default:
      return std::nullopt;
  }
  const auto& port = components_[1].value;
  return TcpEndpoint{host.code, value_to_text(protocol_of(host), host.value),
                     static_cast<uint16_t>((port[0] << 8) | port[1])};
}

bool Multiaddr::is_websocket() const {
  return tcp_endpoint() && components_.size() > 2 &&
         (components_[2].code == kWs || components_[2].code == kWss);
}

bool Multiaddr::is_secure_websocket() const {
  return tcp_endpoint() && components_.size() > 2 && components_[2].code == kWss;
}

std::optional<std::vector<uint8_t>> Multiaddr::peer_id_bytes() const {
  if (components_.empty() || components_.back().code != kP2p) return std::nullopt;
  return components_.back().value;
}

std::optional<Multiaddr> Multiaddr::with_peer(std::span<const uint8_t> peer_id,
                                              std::string* error) const {
  auto components = without_peer().components_;
  components.push_back({kP2p, {peer_id.begin(), peer_id.end()}});
  return from_components(std::move(components), error);
}

Multiaddr Multiaddr::without_peer() const {
  auto components = components_;
  if (!components.empty() && components.back().code == kP2p) components.pop_back();
  return Multiaddr(std::move(components));
}

std::optional<Multiaddr> Multiaddr::encapsulate(const Multiaddr& inner, std::string* error) const {
  if (inner.empty()) return *this;
  auto components = components_;
  components.insert(components.end(), inner.components_.begin(), inner.components_.end());
  return from_components(std::move(components), error);
}

Multiaddr Multiaddr::decapsulate(const Multiaddr& suffix) const {
  const auto& needle = suffix.components_;
  if (needle.empty() || needle.size() > components_.size()) return *this;
  for (size_t start = components_.size() - needle.size() + 1; start-- > 0;) {
    if (std::equal(needle.begin(), needle.end(), components_.begin() + start))
      return Multiaddr(std::vector<Component>(components_.begin(), components_.begin() + start));
  }
  return *this;
}

}  // namespace prowl::multiaddr
