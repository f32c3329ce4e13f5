/* prowl/howl.h: howls, the wolf pack's vocabulary, for plugins (ABI 2).
 *
 * A howl is a signed broadcast with a pattern (what it means), a range (how
 * far it carries: the node's pack, its territory, or everyone) and a
 * frequency (urgency). This service group is separate from the core: a host
 * without it returns NULL for these names.
 *
 * Every function here is found by name (see prowl/plugin.h), takes the
 * calling plugin's context first, may be called from any thread, and
 * returns a prowl_status at once (PROWL_ERR_UNSUPPORTED: no howls on this
 * host; PROWL_ERR_CLOSED: the plugin was stopped). Callbacks run on the
 * event loop and must not block it; their pointers are valid during the call
 * only. A plugin's howl subscriptions belong to its context and end when it
 * stops. */
#ifndef PROWL_HOWL_H_
#define PROWL_HOWL_H_

#include <prowl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a howl means. */
typedef enum prowl_howl_pattern {
  PROWL_HOWL_GATHERING = 1,
  PROWL_HOWL_HUNTING = 2,
  PROWL_HOWL_WARNING = 3,
  PROWL_HOWL_TERRITORY = 4,
  PROWL_HOWL_SOCIAL = 5
} prowl_howl_pattern;

/* How far a howl carries. */
typedef enum prowl_howl_range {
  PROWL_RANGE_ANY = 0,       /* prowl_howl_subscribe only: every range */
  PROWL_RANGE_PACK = 1,      /* this node's pack */
  PROWL_RANGE_TERRITORY = 2, /* this node's territory */
  PROWL_RANGE_GLOBAL = 3     /* everyone */
} prowl_howl_range;

#define PROWL_HOWL_FREQUENCY_MAX 1000 /* the most urgent howl */
#define PROWL_HOWL_PAYLOAD_MAX 65536  /* bytes of one howl's payload */

/* One howl heard from another peer. */
typedef struct prowl_howl {
  uint32_t struct_size; /* sizeof(prowl_howl) as the host was built */
  const char* sender;   /* peer id text */
  uint32_t pattern;     /* a prowl_howl_pattern */
  uint32_t range;       /* a prowl_howl_range other than ANY */
  const char* group;    /* the pack or territory id; "" for global howls */
  uint32_t frequency;   /* 0..PROWL_HOWL_FREQUENCY_MAX */
  const uint8_t* payload;
  size_t len;
  uint64_t timestamp_ms; /* the sender's wall clock, ms since the Unix epoch */
} prowl_howl;

/* Receives one howl, on the event loop. */
typedef void (*prowl_howl_fn)(void* user, const prowl_howl* howl);

/* "prowl_howl_send": howls payload[0, len) (at most PROWL_HOWL_PAYLOAD_MAX
 * bytes) with `pattern` in `range` (not ANY) at `frequency`
 * (0..PROWL_HOWL_FREQUENCY_MAX). */
typedef int32_t (*prowl_howl_send_fn)(prowl_plugin_ctx* ctx, uint32_t pattern, uint32_t range, uint32_t frequency,
                                      const uint8_t* payload, size_t len, prowl_error* err);

/* "prowl_howl_subscribe": calls `on_howl` with every valid howl of `pattern`
 * from other peers in `range` (PROWL_RANGE_ANY: all). Writes the id into *id. */
typedef int32_t (*prowl_howl_subscribe_fn)(prowl_plugin_ctx* ctx, uint32_t pattern, uint32_t range,
                                           prowl_howl_fn on_howl, void* user, uint64_t* id, prowl_error* err);

/* "prowl_howl_unsubscribe": ends a howl subscription, as prowl_pubsub_unsubscribe. */
typedef int32_t (*prowl_howl_unsubscribe_fn)(prowl_plugin_ctx* ctx, uint64_t id, prowl_error* err);

/* "prowl_howl_counts": writes how many howls of `pattern` this node has sent
 * and heard from other peers (node-wide, as of the last howl the host handled). */
typedef int32_t (*prowl_howl_counts_fn)(prowl_plugin_ctx* ctx, uint32_t pattern, uint64_t* sent,
                                        uint64_t* received, prowl_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_HOWL_H_ */
