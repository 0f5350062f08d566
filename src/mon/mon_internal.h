/*
 * The monitor's private interface, grouped by the file that implements
 * each part: mon.c (lifecycle, peers and the quorum view), mon_raft.c
 * (libraft glue: log entries, the FSM, snapshots), mon_server.c (client
 * messages: commands and subscriptions), mon_log.c (the log file).
 */
#ifndef LOLIGO_MON_INTERNAL_H
#define LOLIGO_MON_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <raft.h>
#include <raft/uv.h>
#include <uv.h>

#include "mon/mon_pgmap.h"
#include "mon/mon_proto.h"
#include "mon/mon_state.h"
#include "msg/msgr.h"
#include "osdmap/monmap.h"

struct conf;

/* Monitor-to-monitor liveness ping, on the peer messenger.  Internal to
 * the monitors, so outside mon_proto.h's client range. */
#define MON_MSG_PEER_PING 0x01f0
/* ReadIndex: a peon asks the leader for its commit index and serves a
 * read once it has applied that far, so a read sees every write that was
 * acknowledged before it was sent, whichever monitor it reaches. */
#define MON_MSG_PEER_READINDEX 0x01f1
#define MON_MSG_PEER_READINDEX_REPLY 0x01f2
#define MON_READ_TIMEOUT_MS 2000

#define MON_TICK_MS 100
#define MON_PEER_TIMEOUT_MS 1000 /* a peer unheard of this long is unreachable */
#define MON_ELECTION_TIMEOUT_MS 400
#define MON_HEARTBEAT_MS 60

struct mon_peer {
	struct msgr_conn *conn; /* our session to it (pings out) */
	uint64_t last_seen_ms;  /* monotonic; 0 = never */
	uint64_t leader_id;     /* its view of the Raft leader */
	uint64_t quorum_mask;   /* the leader's quorum (ranks < 64), as it said */
};

/* A write waiting for its Raft entry to be applied (leader only). */
struct mon_pending {
	struct mon_pending *next;
	struct mon *mon;
	struct raft_apply req;
	uint64_t serial;
	struct msgr_conn *conn;
	uint64_t tid;
	bool applied; /* the result below is set */
	int rc;
	char outs[1024];
	uint8_t *out;
	size_t outlen;
};

/* A read held on a peon until it has applied the leader's commit index. */
struct mon_read {
	struct mon_read *next;
	uint64_t id;
	struct msgr_msg *msg;  /* the command message, held */
	uint64_t wait_index;   /* 0 until the leader answered */
	uint64_t deadline_ms;
};

/* A client's subscriptions. */
struct mon_sub {
	struct mon_sub *next;
	struct msgr_conn *conn;
	bool osdmap, osdmap_onetime;
	uint32_t osdmap_next; /* next epoch to send */
	bool monmap, monmap_onetime;
	uint32_t monmap_sent; /* epoch last sent, 0: none */
};

struct mon {
	struct conf *conf;
	char id[MONMAP_NAME_MAX];   /* "a" */
	char entity[MONMAP_NAME_MAX + 8]; /* "mon.a" */
	char data_dir[4096];
	struct monmap monmap; /* DATA/monmap: ranks, addresses, Raft peers */
	size_t rank;
	uint8_t *genesis;     /* DATA/genesis: the mkfs state */
	size_t genesis_len;

	uv_loop_t loop;
	uv_timer_t tick;
	uv_signal_t sigterm, sigint;
	struct msgr *msgr;      /* clients (and peers' pings in) */
	struct msgr *peer_msgr; /* pings out */
	struct mon_peer *peers; /* monmap.count, [rank] unused */

	/* Raft (mon_raft.c) */
	struct raft raft;
	struct raft_io io;
	struct raft_uv_transport transport;
	struct raft_fsm fsm;
	bool raft_started;
	int raft_state_seen;
	bool barrier_inflight, barrier_done;
	struct raft_barrier barrier;
	bool genesis_inflight;
	struct raft_apply genesis_req;
	uint64_t nonce;       /* this incarnation, in every entry we propose */
	uint64_t next_serial;
	struct mon_pending *pending;

	/* The replicated state; ready once the genesis entry is applied. */
	struct mon_state st;
	uint32_t monmap_epoch_pushed;

	/* quorum view (mon.c) */
	int quorum[64];
	size_t quorum_len;
	uint64_t quorum_mask;

	/* The OSDs' PG statistics: soft state, not replicated (mon_pgmap.h). */
	struct mon_pgmap pgmap;

	struct mon_sub *subs;
	struct mon_read *reads;
	uint64_t next_read_id;
	uv_check_t read_check;
	bool stopping;
	int exit_code;
};

/* ---- mon.c ---- */
uint64_t mon_now_ms(void);
/* Whether this monitor may serve reads: a leader is known and we are in
 * its quorum (the leader: its post-election barrier has applied). */
bool mon_in_quorum(struct mon *m);
bool mon_is_leader(struct mon *m);
int mon_leader_rank(struct mon *m);
/* Monitors that answered lately, ourselves included. */
size_t mon_reachable(struct mon *m);
/* "127.0.0.1:6789" of a rank (client address). */
void mon_rank_addr(struct mon *m, int rank, char *buf, size_t len);
bool mon_state_ready(const struct mon *m);

/* ---- mon_raft.c ---- */
int mon_raft_init(struct mon *m, char *err, size_t errlen);
int mon_raft_start(struct mon *m, char *err, size_t errlen);
/* Called every tick: leader duties (barrier, genesis). */
void mon_raft_tick(struct mon *m);
/* Propose a normalised write; the reply goes out when it applies. */
int mon_raft_propose(struct mon *m, struct msgr_conn *conn, uint64_t tid, const char *cmd,
		     const uint8_t *in, size_t inlen);
void mon_raft_close(struct mon *m);
/* Bootstrap a fresh Raft folder with the monmap's voters (mkfs). */
int mon_raft_bootstrap(const struct monmap *mm, size_t rank, const char *dir, char *err,
		       size_t errlen);

/* ---- mon_server.c ---- */
extern const struct msgr_dispatch_ops mon_server_ops;
extern const struct msgr_dispatch_ops mon_peer_ops;
/* Run a command on the state (mon_cmd setup shared by reads and apply). */
void mon_server_run_cmd(struct mon *m, const struct mon_cmd_desc *desc, json_t *args,
			const uint8_t *in, size_t inlen, int64_t sec, uint32_t nsec,
			struct mon_cmd *c);
/* The state changed (apply or restore): push new epochs to subscribers. */
void mon_server_state_changed(struct mon *m);
void mon_server_reply(struct msgr_conn *conn, uint64_t tid, int rc, const char *outs,
		      const uint8_t *out, size_t outlen, const char *leader_addr);
void mon_server_drop_subs(struct mon *m);
/* Serve the held reads the applied state now covers; expire old ones. */
void mon_server_reads_poll(struct mon *m);
void mon_server_drop_reads(struct mon *m);

/* ---- mon_log.c ---- */
int mon_log_open(const char *path, bool to_stderr);
void mon_log_close(void);
void mon_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
