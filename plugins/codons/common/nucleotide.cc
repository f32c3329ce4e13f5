#include "plugins/codons/common/nucleotide.h"

#include <prowl/sdk.hpp>

#include <cstdio>
#include <string>

namespace prowl::codons {

void throw_invalid_character(size_t offset, uint8_t c) {
  char shown[16];
  if (c > 0x20 && c < 0x7f)
    std::snprintf(shown, sizeof shown, "character '%c'", c);
  else
    std::snprintf(shown, sizeof shown, "byte 0x%02x", c);
  throw InvalidInput(std::string("invalid ") + shown + " at offset " + std::to_string(offset) +
                     "; expected A, C, G, T or whitespace");
}

}  // namespace prowl::codons
