#include "host/base/encoding/utf8.h"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>

namespace prowl::encoding {

bool valid_utf8(std::span<const uint8_t> bytes) {
  rapidjson::MemoryStream in(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  rapidjson::StringBuffer sink;
  while (in.Tell() < bytes.size()) {
    if (!rapidjson::UTF8<>::Validate(in, sink)) return false;
  }
  return true;
}

}  // namespace prowl::encoding
