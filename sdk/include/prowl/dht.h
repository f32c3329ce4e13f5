/* prowl/dht.h: the Kademlia DHT for plugins (ABI 2).
 *
 * Every function here is found by name (see prowl/plugin.h), takes the
 * calling plugin's context first, may be called from any thread, and
 * returns a prowl_status at once: on failure err says why and `done` is
 * not called; PROWL_ERR_UNSUPPORTED when the host runs no DHT,
 * PROWL_ERR_CLOSED after the plugin was stopped, PROWL_ERR_LIMIT when the
 * plugin has too many calls in flight. On PROWL_OK `done` is called exactly
 * once, later, on the event loop (it must not block), unless the plugin
 * stops first: its pending calls belong to its context and end silently.
 * A failed call's status says why: PROWL_ERR_NOT_FOUND (no value, provider
 * or peer), PROWL_ERR_TIMEOUT, PROWL_ERR_UNREACHABLE (no peer answered),
 * PROWL_ERR_INVALID_INPUT (a record the network refused), ... */
#ifndef PROWL_DHT_H_
#define PROWL_DHT_H_

#include <prowl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROWL_DHT_KEY_MAX 1024    /* bytes of a DHT key */
#define PROWL_DHT_VALUE_MAX 16384 /* bytes of a stored DHT record value (a signed
                                   * /prowl/ value spends ~120 of them on its envelope) */

/* One peer in a DHT result. */
typedef struct prowl_dht_peer {
  const char* peer;         /* peer id text, NUL-terminated */
  const char* const* addrs; /* addr_count multiaddr texts, NUL-terminated */
  size_t addr_count;
} prowl_dht_peer;

/* The outcome of one DHT call; which fields are set depends on the call.
 * Valid during the `done` call only. */
typedef struct prowl_dht_result {
  uint32_t struct_size; /* sizeof(prowl_dht_result) as the host was built */
  int32_t status;       /* PROWL_OK, or why the call failed */
  const char* message;  /* "" on success, else the failure as one line */
  const uint8_t* value; /* dht_get: the value (for /prowl/ keys the signed payload) */
  size_t value_len;
  uint64_t count;              /* dht_put: peers that stored it; dht_provide: peers told */
  const prowl_dht_peer* peers; /* find_providers, find_peer (one), closest_peers */
  size_t peer_count;
} prowl_dht_result;

/* Receives the outcome of one DHT call, exactly once, on the event loop. */
typedef void (*prowl_dht_done_fn)(void* user, const prowl_dht_result* result);

/* "prowl_dht_put": stores value[0, value_len) under key[0, key_len) on the
 * closest peers. For a key "/prowl/<this node's peer id>/<name>" the host
 * signs the value with the node's key; other namespaces (e.g. /pk/) take the
 * value as is. Sizes: key 1..PROWL_DHT_KEY_MAX, stored value
 * PROWL_DHT_VALUE_MAX (else PROWL_ERR_INVALID_INPUT / PROWL_ERR_LIMIT at
 * once). `done` gets count = peers that stored it. */
typedef int32_t (*prowl_dht_put_fn)(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len,
                                    const uint8_t* value, size_t value_len, prowl_dht_done_fn done, void* user,
                                    prowl_error* err);

/* "prowl_dht_get": finds the best valid value of key; `done` gets it (a
 * /prowl/ value as the payload its publisher signed). */
typedef int32_t (*prowl_dht_get_fn)(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len,
                                    prowl_dht_done_fn done, void* user, prowl_error* err);

/* "prowl_dht_provide": announces this node as a provider of key
 * (republished by the host); `done` gets count = peers told. */
typedef int32_t (*prowl_dht_provide_fn)(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len,
                                        prowl_dht_done_fn done, void* user, prowl_error* err);

/* "prowl_dht_find_providers": finds up to max (1..20; 0 means 20) providers
 * of key; `done` gets them as peers. */
typedef int32_t (*prowl_dht_find_providers_fn)(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len,
                                               uint32_t max, prowl_dht_done_fn done, void* user, prowl_error* err);

/* "prowl_dht_find_peer": finds the addresses of `peer` (a peer id text);
 * `done` gets one peer. A malformed id is PROWL_ERR_INVALID_INPUT at once. */
typedef int32_t (*prowl_dht_find_peer_fn)(prowl_plugin_ctx* ctx, const char* peer, prowl_dht_done_fn done,
                                          void* user, prowl_error* err);

/* "prowl_dht_closest_peers": finds the peers closest to key that answered. */
typedef int32_t (*prowl_dht_closest_peers_fn)(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len,
                                              prowl_dht_done_fn done, void* user, prowl_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_DHT_H_ */
