#include "host/wire/mdns/dns_message.h"

#include <ldns/ldns.h>

#include <cstdlib>
#include <memory>
#include <utility>

namespace prowl::mdns {
namespace {

constexpr uint16_t kTopBit = 0x8000;
constexpr size_t kMaxTextBytes = 255;

struct PacketFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RrFree {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct RdfFree {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
struct MallocFree {
  void operator()(void* p) const { std::free(p); }
};
using PacketPtr = std::unique_ptr<ldns_pkt, PacketFree>;
using RrPtr = std::unique_ptr<ldns_rr, RrFree>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfFree>;

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

// The presentation form of a wire-format name, without the trailing dot.
std::optional<std::string> name_text(const ldns_rdf* name) {
  if (name == nullptr || ldns_rdf_get_type(name) != LDNS_RDF_TYPE_DNAME) return std::nullopt;
  std::unique_ptr<char, MallocFree> text(ldns_rdf2str(name));
  if (text == nullptr) return std::nullopt;
  std::string result(text.get());
  if (!result.empty() && result.back() == '.') result.pop_back();
  return result;
}

std::optional<DnsRecord> read_record(const ldns_rr* rr, std::string* why) {
  DnsRecord record;
  auto owner = name_text(ldns_rr_owner(rr));
  if (!owner) {
    *why = "owner name unreadable";
    return std::nullopt;
  }
  record.name = std::move(*owner);
  record.type = static_cast<uint16_t>(ldns_rr_get_type(rr));
  const auto klass = static_cast<uint16_t>(ldns_rr_get_class(rr));
  record.rr_class = klass & ~kTopBit;
  record.cache_flush = (klass & kTopBit) != 0;
  record.ttl = ldns_rr_ttl(rr);
  if (record.type == kTypePtr) {
    auto target = ldns_rr_rd_count(rr) == 1 ? name_text(ldns_rr_rdf(rr, 0)) : std::nullopt;
    if (!target) {
      *why = "PTR data is not one domain name";
      return std::nullopt;
    }
    record.target = std::move(*target);
  } else if (record.type == kTypeTxt) {
    for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
      const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
      // An ldns STR field is the wire character-string: a length byte, then the bytes.
      const size_t size = ldns_rdf_size(rdf);
      const uint8_t* data = ldns_rdf_data(rdf);
      if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_STR || size == 0 || data[0] != size - 1) {
        *why = "TXT string " + std::to_string(i) + " malformed";
        return std::nullopt;
      }
      record.texts.emplace_back(reinterpret_cast<const char*>(data + 1), size - 1);
    }
  }
  return record;
}

bool read_section(const ldns_rr_list* list, const char* section, std::vector<DnsRecord>& out,
                  std::string* error) {
  for (size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
    std::string why;
    auto record = read_record(ldns_rr_list_rr(list, i), &why);
    if (!record) {
      set_error(error, std::string("DNS ") + section + " record " + std::to_string(i) + ": " + why);
      return false;
    }
    out.push_back(std::move(*record));
  }
  return true;
}

RdfPtr make_name(const std::string& name, std::string* error) {
  // An empty name is the root; ldns wants the absolute form.
  RdfPtr rdf(ldns_dname_new_frm_str(name.empty() ? "." : (name + ".").c_str()));
  if (rdf == nullptr) set_error(error, "invalid DNS name '" + name + "'");
  return rdf;
}

bool push_record(ldns_pkt* packet, ldns_pkt_section section, const DnsRecord& record,
                 std::string* error) {
  RrPtr rr(ldns_rr_new());
  RdfPtr owner = make_name(record.name, error);
  if (rr == nullptr || owner == nullptr) return false;
  ldns_rr_set_owner(rr.get(), owner.release());
  ldns_rr_set_type(rr.get(), static_cast<ldns_rr_type>(record.type));
  ldns_rr_set_class(rr.get(), static_cast<ldns_rr_class>((record.rr_class & ~kTopBit) |
                                                         (record.cache_flush ? kTopBit : 0)));
  ldns_rr_set_ttl(rr.get(), record.ttl);
  if (record.type == kTypePtr) {
    RdfPtr target = make_name(record.target, error);
    if (target == nullptr) return false;
    ldns_rr_push_rdf(rr.get(), target.release());
  } else if (record.type == kTypeTxt) {
    for (const std::string& text : record.texts) {
      if (text.size() > kMaxTextBytes) {
        set_error(error, "TXT string of " + std::to_string(text.size()) + " bytes for '" +
                             record.name + "' exceeds 255");
        return false;
      }
      std::string field(1, static_cast<char>(text.size()));
      field += text;
      RdfPtr rdf(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, field.size(), field.data()));
      if (rdf == nullptr) {
        set_error(error, "out of memory building TXT record");
        return false;
      }
      ldns_rr_push_rdf(rr.get(), rdf.release());
    }
  } else {
    set_error(error, "cannot encode data of RR type " + std::to_string(record.type));
    return false;
  }
  ldns_pkt_push_rr(packet, section, rr.release());
  return true;
}

}  // namespace

std::optional<DnsMessage> decode_dns_message(std::span<const uint8_t> wire, std::string* error) {
  if (wire.size() > kMaxMessageBytes) {
    set_error(error, "DNS message of " + std::to_string(wire.size()) + " bytes exceeds " +
                         std::to_string(kMaxMessageBytes));
    return std::nullopt;
  }
  ldns_pkt* raw = nullptr;
  const ldns_status status = ldns_wire2pkt(&raw, wire.data(), wire.size());
  PacketPtr packet(raw);
  if (status != LDNS_STATUS_OK || packet == nullptr) {
    set_error(error, "DNS message of " + std::to_string(wire.size()) +
                         " bytes: " + ldns_get_errorstr_by_id(status));
    return std::nullopt;
  }
  if (ldns_pkt_get_opcode(packet.get()) != LDNS_PACKET_QUERY) {
    set_error(error, "DNS header: opcode " +
                         std::to_string(static_cast<int>(ldns_pkt_get_opcode(packet.get()))) +
                         " is not QUERY");
    return std::nullopt;
  }
  if (ldns_pkt_get_rcode(packet.get()) != LDNS_RCODE_NOERROR) {
    set_error(error, "DNS header: rcode " +
                         std::to_string(static_cast<int>(ldns_pkt_get_rcode(packet.get()))) +
                         " is not NOERROR");
    return std::nullopt;
  }
  DnsMessage message;
  message.id = ldns_pkt_id(packet.get());
  message.response = ldns_pkt_qr(packet.get());
  message.authoritative = ldns_pkt_aa(packet.get());
  message.truncated = ldns_pkt_tc(packet.get());
  const ldns_rr_list* questions = ldns_pkt_question(packet.get());
  for (size_t i = 0; i < ldns_rr_list_rr_count(questions); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(questions, i);
    auto name = name_text(ldns_rr_owner(rr));
    if (!name) {
      set_error(error, "DNS question " + std::to_string(i) + ": name unreadable");
      return std::nullopt;
    }
    const auto klass = static_cast<uint16_t>(ldns_rr_get_class(rr));
    message.questions.push_back(DnsQuestion{std::move(*name),
                                            static_cast<uint16_t>(ldns_rr_get_type(rr)),
                                            static_cast<uint16_t>(klass & ~kTopBit),
                                            (klass & kTopBit) != 0});
  }
  if (!read_section(ldns_pkt_answer(packet.get()), "answer", message.answers, error) ||
      !read_section(ldns_pkt_authority(packet.get()), "authority", message.authorities, error) ||
      !read_section(ldns_pkt_additional(packet.get()), "additional", message.additionals,
                    error)) {
    return std::nullopt;
  }
  return message;
}

std::optional<std::vector<uint8_t>> encode_dns_message(const DnsMessage& message,
                                                       std::string* error) {
  PacketPtr packet(ldns_pkt_new());
  if (packet == nullptr) {
    set_error(error, "out of memory building DNS message");
    return std::nullopt;
  }
  ldns_pkt_set_id(packet.get(), message.id);
  ldns_pkt_set_qr(packet.get(), message.response);
  ldns_pkt_set_aa(packet.get(), message.authoritative);
  ldns_pkt_set_tc(packet.get(), message.truncated);
  ldns_pkt_set_opcode(packet.get(), LDNS_PACKET_QUERY);
  ldns_pkt_set_rcode(packet.get(), LDNS_RCODE_NOERROR);
  for (const DnsQuestion& question : message.questions) {
    RrPtr rr(ldns_rr_new());
    RdfPtr owner = make_name(question.name, error);
    if (rr == nullptr || owner == nullptr) return std::nullopt;
    ldns_rr_set_owner(rr.get(), owner.release());
    ldns_rr_set_question(rr.get(), true);
    ldns_rr_set_type(rr.get(), static_cast<ldns_rr_type>(question.type));
    ldns_rr_set_class(rr.get(),
                      static_cast<ldns_rr_class>((question.rr_class & ~kTopBit) |
                                                 (question.unicast_response ? kTopBit : 0)));
    ldns_pkt_push_rr(packet.get(), LDNS_SECTION_QUESTION, rr.release());
  }
  const std::pair<ldns_pkt_section, const std::vector<DnsRecord>*> sections[] = {
      {LDNS_SECTION_ANSWER, &message.answers},
      {LDNS_SECTION_AUTHORITY, &message.authorities},
      {LDNS_SECTION_ADDITIONAL, &message.additionals}};
  for (const auto& [section, records] : sections) {
    for (const DnsRecord& record : *records) {
      if (!push_record(packet.get(), section, record, error)) return std::nullopt;
    }
  }
  uint8_t* wire = nullptr;
  size_t size = 0;
  const ldns_status status = ldns_pkt2wire(&wire, packet.get(), &size);
  std::unique_ptr<uint8_t, MallocFree> owned(wire);
  if (status != LDNS_STATUS_OK || wire == nullptr) {
    set_error(error, std::string("encoding DNS message: ") + ldns_get_errorstr_by_id(status));
    return std::nullopt;
  }
  if (size > kMaxMessageBytes) {
    set_error(error, "DNS message of " + std::to_string(size) + " bytes exceeds " +
                         std::to_string(kMaxMessageBytes));
    return std::nullopt;
  }
  return std::vector<uint8_t>(wire, wire + size);
}

bool same_dns_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace prowl::mdns
