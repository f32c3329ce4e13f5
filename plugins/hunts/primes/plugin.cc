// The primes hunt plugin (see primes_hunt.h).
#include "plugins/hunts/primes/primes_hunt.h"

PROWL_PLUGIN(prowl::hunts::primes::PrimesHunt, "primes", "1.0.0",
             "Counts the primes in [from, to) with a segmented sieve");
