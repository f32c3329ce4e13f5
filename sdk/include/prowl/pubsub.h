/* prowl/pubsub.h: gossipsub for plugins (ABI 2).
 *
 * Every function here is found by name (see prowl/plugin.h), takes the
 * calling plugin's context first, may be called from any thread, and
 * returns a prowl_status at once (PROWL_ERR_UNSUPPORTED: no pub/sub on this
 * host; PROWL_ERR_CLOSED: the plugin was stopped). Callbacks run on the
 * event loop, never inside the call that registered them, and must not
 * block it; their pointers are valid during the call only. A plugin's
 * subscriptions and validators belong to its context and end, without
 * further callbacks, when it stops. */
#ifndef PROWL_PUBSUB_H_
#define PROWL_PUBSUB_H_

#include <prowl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROWL_TOPIC_MAX 1024 /* bytes of a pub/sub topic, without terminator */

/* One pub/sub message as a subscriber or validator sees it. */
typedef struct prowl_pubsub_message {
  uint32_t struct_size; /* sizeof(prowl_pubsub_message) as the host was built */
  const char* topic;    /* NUL-terminated */
  const char* from;     /* the author's peer id text */
  uint64_t seqno;       /* the author's sequence number */
  const uint8_t* data;
  size_t len;
} prowl_pubsub_message;

/* Receives one message of a subscribed topic (own messages included). */
typedef void (*prowl_pubsub_message_fn)(void* user, const prowl_pubsub_message* message);

/* A validator's verdict on a received message. */
typedef enum prowl_verdict {
  PROWL_VERDICT_ACCEPT = 0, /* deliver and forward */
  PROWL_VERDICT_REJECT = 1, /* drop and penalise the peers that sent it */
  PROWL_VERDICT_IGNORE = 2  /* drop without penalty */
} prowl_verdict;

/* Judges one received message; returns a prowl_verdict at once (it holds up
 * delivery: never block). Any other value counts as PROWL_VERDICT_IGNORE
 * and is logged. */
typedef int32_t (*prowl_pubsub_validator_fn)(void* user, const prowl_pubsub_message* message);

/* "prowl_pubsub_subscribe": calls `on_message` with every message of `topic`
 * (1..PROWL_TOPIC_MAX bytes) until prowl_pubsub_unsubscribe or the plugin's
 * stop; the node joins the topic. Writes the subscription's id (never 0,
 * never reused) into *id. */
typedef int32_t (*prowl_pubsub_subscribe_fn)(prowl_plugin_ctx* ctx, const char* topic,
                                             prowl_pubsub_message_fn on_message, void* user, uint64_t* id,
                                             prowl_error* err);

/* "prowl_pubsub_unsubscribe": ends a subscription: no callback of it starts
 * afterwards. PROWL_ERR_NOT_FOUND for an id that is not this plugin's live one. */
typedef int32_t (*prowl_pubsub_unsubscribe_fn)(prowl_plugin_ctx* ctx, uint64_t id, prowl_error* err);

/* "prowl_pubsub_publish": signs (with the node's key) and sends a copy of
 * data[0, len) to topic. PROWL_ERR_LIMIT over the host's message size limit. */
typedef int32_t (*prowl_pubsub_publish_fn)(prowl_plugin_ctx* ctx, const char* topic, const uint8_t* data,
                                           size_t len, prowl_error* err);

/* "prowl_pubsub_validate": judges every message of `topic` received from the
 * network before it is delivered or forwarded: all validators of a topic
 * must accept. One validator per topic per plugin. */
typedef int32_t (*prowl_pubsub_validate_fn)(prowl_plugin_ctx* ctx, const char* topic,
                                            prowl_pubsub_validator_fn validator, void* user, prowl_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_PUBSUB_H_ */
