/*
 * The monitor's command signatures: for each command its prefix, Ceph's
 * argument descriptor string and its help line.  This table is separate
 * from the handlers (mon_commands.c) so the `ceph` CLI can turn words
 * into a JSON command (`ceph osd pool create foo 64` ->
 * {"prefix": "osd pool create", "pool": "foo", "pg_num": 64}) by linking
 * only mon_signatures.c.
 *
 * Descriptor syntax (Ceph's): the prefix words, then one space-separated
 * descriptor per argument, "name=NAME,type=TYPE[,key=value...]" where
 * TYPE is CephString, CephInt, CephFloat, CephBool, CephChoices,
 * CephPoolname, CephObjectname, CephOsdName, CephUUID; keys: req=false
 * (optional), n=N (one or more values, a JSON list), range=MIN[|MAX],
 * strings=a|b|c (CephChoices), goodchars=[...] (allowed characters).
 * The descriptors are those a Ceph 16.2 monitor reports for the same
 * commands (`get_command_descriptions`), so Ceph's own CLI would send the
 * same JSON.
 *
 * Each MON_SIG_* macro expands to the three strings prefix, signature,
 * help: mon_sigs[] and mon_commands[] are both built from them, so the
 * text exists once.
 */
#ifndef LOLIGO_MON_SIGNATURES_H
#define LOLIGO_MON_SIGNATURES_H

struct mon_sig {
	const char *prefix;    /* "osd pool create" */
	const char *signature; /* "osd pool create name=pool,type=CephPoolname ..." */
	const char *help;
};

/* Every command the monitor knows, ended by a NULL prefix. */
extern const struct mon_sig mon_sigs[];

/* The entry for a prefix, or NULL. */
const struct mon_sig *mon_sig_find(const char *prefix);

#define MON_SIG_STATUS \
	"status", \
	"status", \
	"show cluster status"

#define MON_SIG_HEALTH \
	"health", \
	"health " \
	"name=detail,type=CephChoices,req=false,strings=detail", \
	"show cluster health"

#define MON_SIG_MON_STAT \
	"mon stat", \
	"mon stat", \
	"summarize monitor status"

#define MON_SIG_MON_DUMP \
	"mon dump", \
	"mon dump " \
	"name=epoch,type=CephInt,range=0,req=false", \
	"dump formatted monmap (optionally from epoch)"

#define MON_SIG_QUORUM_STATUS \
	"quorum_status", \
	"quorum_status", \
	"report status of monitor quorum"

#define MON_SIG_FSID \
	"fsid", \
	"fsid", \
	"show cluster FSID/UUID"

#define MON_SIG_OSD_CREATE \
	"osd create", \
	"osd create " \
	"name=uuid,type=CephUUID,req=false " \
	"name=id,type=CephOsdName,req=false", \
	"create new osd (with optional UUID and ID)"

#define MON_SIG_OSD_NEW \
	"osd new", \
	"osd new " \
	"name=uuid,type=CephUUID,req=true " \
	"name=id,type=CephOsdName,req=false", \
	"Create a new OSD. If supplied, the `id` to be replaced needs to exist and have been previously destroyed. Reads secrets from JSON file via `-i <file>` (see man page)."

#define MON_SIG_OSD_RM \
	"osd rm", \
	"osd rm " \
	"name=ids,type=CephString,n=N", \
	"remove osd(s) <id> [<id>...], or use <any|all> to remove all osds"

#define MON_SIG_OSD_TREE \
	"osd tree", \
	"osd tree " \
	"name=epoch,type=CephInt,range=0,req=false " \
	"name=states,type=CephChoices,n=N,req=false,strings=up|down|in|out|destroyed", \
	"print OSD tree"

#define MON_SIG_OSD_DUMP \
	"osd dump", \
	"osd dump " \
	"name=epoch,type=CephInt,range=0,req=false", \
	"print summary of OSD map"

#define MON_SIG_OSD_STAT \
	"osd stat", \
	"osd stat", \
	"print summary of OSD map"

#define MON_SIG_OSD_IN \
	"osd in", \
	"osd in " \
	"name=ids,type=CephString,n=N", \
	"set osd(s) <id> [<id>...] in, can use <any|all> to automatically set all previously out osds in"

#define MON_SIG_OSD_OUT \
	"osd out", \
	"osd out " \
	"name=ids,type=CephString,n=N", \
	"set osd(s) <id> [<id>...] out, or use <any|all> to set all osds out"

#define MON_SIG_OSD_DOWN \
	"osd down", \
	"osd down " \
	"name=ids,type=CephString,n=N " \
	"name=definitely_dead,type=CephBool,req=false", \
	"set osd(s) <id> [<id>...] down, or use <any|all> to set all osds down"

#define MON_SIG_OSD_SET \
	"osd set", \
	"osd set " \
	"name=key,type=CephChoices,strings=full|pause|noup|nodown|noout|noin|nobackfill|norebalance|norecover|noscrub|nodeep-scrub|notieragent|nosnaptrim|pglog_hardlimit " \
	"name=yes_i_really_mean_it,type=CephBool,req=false", \
	"set <key>"

#define MON_SIG_OSD_UNSET \
	"osd unset", \
	"osd unset " \
	"name=key,type=CephChoices,strings=full|pause|noup|nodown|noout|noin|nobackfill|norebalance|norecover|noscrub|nodeep-scrub|notieragent|nosnaptrim", \
	"unset <key>"

#define MON_SIG_OSD_GETCRUSHMAP \
	"osd getcrushmap", \
	"osd getcrushmap " \
	"name=epoch,type=CephInt,range=0,req=false", \
	"get CRUSH map"

#define MON_SIG_OSD_SETCRUSHMAP \
	"osd setcrushmap", \
	"osd setcrushmap " \
	"name=prior_version,type=CephInt,req=false", \
	"set crush map from input file"

#define MON_SIG_OSD_CRUSH_ADD \
	"osd crush add", \
	"osd crush add " \
	"name=id,type=CephOsdName " \
	"name=weight,type=CephFloat,range=0.0 " \
	"name=args,type=CephString,goodchars=[A-Za-z0-9-_.=],n=N", \
	"add or update crushmap position and weight for <name> with <weight> and location <args>"

#define MON_SIG_OSD_CRUSH_SET \
	"osd crush set", \
	"osd crush set " \
	"name=id,type=CephOsdName " \
	"name=weight,type=CephFloat,range=0.0 " \
	"name=args,type=CephString,goodchars=[A-Za-z0-9-_.=],n=N", \
	"update crushmap position and weight for <name> to <weight> with location <args>"

#define MON_SIG_OSD_CRUSH_REMOVE \
	"osd crush remove", \
	"osd crush remove " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=ancestor,type=CephString,goodchars=[A-Za-z0-9-_.],req=false", \
	"remove <name> from crush map (everywhere, or just at <ancestor>)"

#define MON_SIG_OSD_CRUSH_RM \
	"osd crush rm", \
	"osd crush rm " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=ancestor,type=CephString,goodchars=[A-Za-z0-9-_.],req=false", \
	"remove <name> from crush map (everywhere, or just at <ancestor>)"

#define MON_SIG_OSD_CRUSH_UNLINK \
	"osd crush unlink", \
	"osd crush unlink " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=ancestor,type=CephString,goodchars=[A-Za-z0-9-_.],req=false", \
	"unlink <name> from crush map (everywhere, or just at <ancestor>)"

#define MON_SIG_OSD_CRUSH_REWEIGHT \
	"osd crush reweight", \
	"osd crush reweight " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=weight,type=CephFloat,range=0.0", \
	"change <name>'s weight to <weight> in crush map"

#define MON_SIG_OSD_CRUSH_ADD_BUCKET \
	"osd crush add-bucket", \
	"osd crush add-bucket " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=type,type=CephString " \
	"name=args,type=CephString,goodchars=[A-Za-z0-9-_.=],n=N,req=false", \
	"add no-parent (probably root) crush bucket <name> of type <type> to location <args>"

#define MON_SIG_OSD_CRUSH_MOVE \
	"osd crush move", \
	"osd crush move " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=args,type=CephString,goodchars=[A-Za-z0-9-_.=],n=N", \
	"move existing entry for <name> to location <args>"

#define MON_SIG_OSD_CRUSH_RULE_CREATE_REPLICATED \
	"osd crush rule create-replicated", \
	"osd crush rule create-replicated " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=root,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=type,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=class,type=CephString,goodchars=[A-Za-z0-9-_.],req=false", \
	"create crush rule <name> for replicated pool to start from <root>, replicate across buckets of type <type>, use devices of type <class> (ssd or hdd)"

#define MON_SIG_OSD_CRUSH_RULE_CREATE_SIMPLE \
	"osd crush rule create-simple", \
	"osd crush rule create-simple " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=root,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=type,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=mode,type=CephChoices,req=false,strings=firstn|indep", \
	"create crush rule <name> to start from <root>, replicate across buckets of type <type>, using a choose mode of <firstn|indep> (default firstn; indep best for erasure pools)"

#define MON_SIG_OSD_CRUSH_RULE_LS \
	"osd crush rule ls", \
	"osd crush rule ls", \
	"list crush rules"

#define MON_SIG_OSD_CRUSH_RULE_LIST \
	"osd crush rule list", \
	"osd crush rule list", \
	"list crush rules"

#define MON_SIG_OSD_CRUSH_RULE_DUMP \
	"osd crush rule dump", \
	"osd crush rule dump " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.],req=false", \
	"dump crush rule <name> (default all)"

#define MON_SIG_OSD_CRUSH_RULE_RM \
	"osd crush rule rm", \
	"osd crush rule rm " \
	"name=name,type=CephString,goodchars=[A-Za-z0-9-_.]", \
	"remove crush rule <name>"

#define MON_SIG_OSD_CRUSH_TUNABLES \
	"osd crush tunables", \
	"osd crush tunables " \
	"name=profile,type=CephChoices,strings=legacy|argonaut|bobtail|firefly|hammer|jewel|optimal|default", \
	"set crush tunables values to <profile>"

#define MON_SIG_OSD_CRUSH_SHOW_TUNABLES \
	"osd crush show-tunables", \
	"osd crush show-tunables", \
	"show current crush tunables"

#define MON_SIG_OSD_CRUSH_DUMP \
	"osd crush dump", \
	"osd crush dump", \
	"dump crush map"

#define MON_SIG_OSD_CRUSH_TREE \
	"osd crush tree", \
	"osd crush tree " \
	"name=shadow,type=CephChoices,req=false,strings=--show-shadow", \
	"dump crush buckets and items in a tree view"

#define MON_SIG_OSD_CRUSH_LS \
	"osd crush ls", \
	"osd crush ls " \
	"name=node,type=CephString,goodchars=[A-Za-z0-9-_.]", \
	"list items beneath a node in the CRUSH tree"

#define MON_SIG_OSD_CRUSH_SET_DEVICE_CLASS \
	"osd crush set-device-class", \
	"osd crush set-device-class " \
	"name=class,type=CephString " \
	"name=ids,type=CephString,n=N", \
	"set the <class> of the osd(s) <id> [<id>...],or use <all|any> to set all."

#define MON_SIG_OSD_CRUSH_RM_DEVICE_CLASS \
	"osd crush rm-device-class", \
	"osd crush rm-device-class " \
	"name=ids,type=CephString,n=N", \
	"remove class of the osd(s) <id> [<id>...],or use <all|any> to remove all."

#define MON_SIG_OSD_CRUSH_GET_DEVICE_CLASS \
	"osd crush get-device-class", \
	"osd crush get-device-class " \
	"name=ids,type=CephString,n=N", \
	"get classes of specified osd(s) <id> [<id>...]"

#define MON_SIG_OSD_CRUSH_CLASS_CREATE \
	"osd crush class create", \
	"osd crush class create " \
	"name=class,type=CephString,goodchars=[A-Za-z0-9-_]", \
	"create crush device class <class>"

#define MON_SIG_OSD_CRUSH_CLASS_RM \
	"osd crush class rm", \
	"osd crush class rm " \
	"name=class,type=CephString,goodchars=[A-Za-z0-9-_]", \
	"remove crush device class <class>"

#define MON_SIG_OSD_CRUSH_CLASS_RENAME \
	"osd crush class rename", \
	"osd crush class rename " \
	"name=srcname,type=CephString,goodchars=[A-Za-z0-9-_] " \
	"name=dstname,type=CephString,goodchars=[A-Za-z0-9-_]", \
	"rename crush device class <srcname> to <dstname>"

#define MON_SIG_OSD_CRUSH_CLASS_LS \
	"osd crush class ls", \
	"osd crush class ls", \
	"list all crush device classes"

#define MON_SIG_OSD_CRUSH_CLASS_LS_OSD \
	"osd crush class ls-osd", \
	"osd crush class ls-osd " \
	"name=class,type=CephString,goodchars=[A-Za-z0-9-_]", \
	"list all osds belonging to the specific <class>"

#define MON_SIG_OSD_CRUSH_RULE_LS_BY_CLASS \
	"osd crush rule ls-by-class", \
	"osd crush rule ls-by-class " \
	"name=class,type=CephString,goodchars=[A-Za-z0-9-_.]", \
	"list all crush rules that reference the same <class>"

#define MON_SIG_OSD_POOL_CREATE \
	"osd pool create", \
	"osd pool create " \
	"name=pool,type=CephPoolname " \
	"name=pg_num,type=CephInt,range=0,req=false " \
	"name=pgp_num,type=CephInt,range=0,req=false " \
	"name=pool_type,type=CephChoices,req=false,strings=replicated|erasure " \
	"name=erasure_code_profile,type=CephString,goodchars=[A-Za-z0-9-_.],req=false " \
	"name=rule,type=CephString,req=false " \
	"name=expected_num_objects,type=CephInt,range=0,req=false " \
	"name=size,type=CephInt,range=0,req=false " \
	"name=pg_num_min,type=CephInt,range=0,req=false " \
	"name=pg_num_max,type=CephInt,range=0,req=false " \
	"name=autoscale_mode,type=CephChoices,req=false,strings=on|off|warn " \
	"name=bulk,type=CephBool,req=false " \
	"name=target_size_bytes,type=CephInt,range=0,req=false " \
	"name=target_size_ratio,type=CephFloat,range=0.0,req=false", \
	"create pool"

#define MON_SIG_OSD_POOL_LS \
	"osd pool ls", \
	"osd pool ls " \
	"name=detail,type=CephChoices,req=false,strings=detail", \
	"list pools"

#define MON_SIG_OSD_LSPOOLS \
	"osd lspools", \
	"osd lspools", \
	"list pools"

#define MON_SIG_OSD_POOL_GET \
	"osd pool get", \
	"osd pool get " \
	"name=pool,type=CephPoolname " \
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule|hashpspool|nodelete|nopgchange|nosizechange|write_fadvise_dontneed|noscrub|nodeep-scrub|hit_set_type|hit_set_period|hit_set_count|hit_set_fpp|use_gmt_hitset|target_max_objects|target_max_bytes|cache_target_dirty_ratio|cache_target_dirty_high_ratio|cache_target_full_ratio|cache_min_flush_age|cache_min_evict_age|erasure_code_profile|min_read_recency_for_promote|all|min_write_recency_for_promote|fast_read|hit_set_grade_decay_rate|hit_set_search_last_n|scrub_min_interval|scrub_max_interval|deep_scrub_interval|recovery_priority|recovery_op_priority|scrub_priority|compression_mode|compression_algorithm|compression_required_ratio|compression_max_blob_size|compression_min_blob_size|csum_type|csum_min_block|csum_max_block|allow_ec_overwrites|fingerprint_algorithm|pg_autoscale_mode|pg_autoscale_bias|pg_num_min|pg_num_max|target_size_bytes|target_size_ratio|dedup_tier|dedup_chunk_algorithm|dedup_cdc_chunk_size|bulk", \
	"get pool parameter <var>"

#define MON_SIG_OSD_POOL_SET \
	"osd pool set", \
	"osd pool set " \
	"name=pool,type=CephPoolname " \
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|pgp_num_actual|crush_rule|hashpspool|nodelete|nopgchange|nosizechange|write_fadvise_dontneed|noscrub|nodeep-scrub|hit_set_type|hit_set_period|hit_set_count|hit_set_fpp|use_gmt_hitset|target_max_bytes|target_max_objects|cache_target_dirty_ratio|cache_target_dirty_high_ratio|cache_target_full_ratio|cache_min_flush_age|cache_min_evict_age|min_read_recency_for_promote|min_write_recency_for_promote|fast_read|hit_set_grade_decay_rate|hit_set_search_last_n|scrub_min_interval|scrub_max_interval|deep_scrub_interval|recovery_priority|recovery_op_priority|scrub_priority|compression_mode|compression_algorithm|compression_required_ratio|compression_max_blob_size|compression_min_blob_size|csum_type|csum_min_block|csum_max_block|allow_ec_overwrites|fingerprint_algorithm|pg_autoscale_mode|pg_autoscale_bias|pg_num_min|pg_num_max|target_size_bytes|target_size_ratio|dedup_tier|dedup_chunk_algorithm|dedup_cdc_chunk_size|bulk " \
	"name=val,type=CephString " \
	"name=yes_i_really_mean_it,type=CephBool,req=false", \
	"set pool parameter <var> to <val>"

#define MON_SIG_OSD_POOL_DELETE \
	"osd pool delete", \
	"osd pool delete " \
	"name=pool,type=CephPoolname " \
	"name=pool2,type=CephPoolname,req=false " \
	"name=yes_i_really_really_mean_it,type=CephBool,req=false " \
	"name=yes_i_really_really_mean_it_not_faking,type=CephBool,req=false", \
	"delete pool"

#define MON_SIG_OSD_POOL_RM \
	"osd pool rm", \
	"osd pool rm " \
	"name=pool,type=CephPoolname " \
	"name=pool2,type=CephPoolname,req=false " \
	"name=yes_i_really_really_mean_it,type=CephBool,req=false " \
	"name=yes_i_really_really_mean_it_not_faking,type=CephBool,req=false", \
	"remove pool"

#define MON_SIG_OSD_POOL_RENAME \
	"osd pool rename", \
	"osd pool rename " \
	"name=srcpool,type=CephPoolname " \
	"name=destpool,type=CephPoolname", \
	"rename <srcpool> to <destpool>"

#define MON_SIG_OSD_POOL_APPLICATION_ENABLE \
	"osd pool application enable", \
	"osd pool application enable " \
	"name=pool,type=CephPoolname " \
	"name=app,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=yes_i_really_mean_it,type=CephBool,req=false", \
	"enable use of an application <app> [cephfs,rbd,rgw] on pool <poolname>"

#define MON_SIG_OSD_POOL_APPLICATION_DISABLE \
	"osd pool application disable", \
	"osd pool application disable " \
	"name=pool,type=CephPoolname " \
	"name=app,type=CephString " \
	"name=yes_i_really_mean_it,type=CephBool,req=false", \
	"disables use of an application <app> on pool <poolname>"

#define MON_SIG_OSD_POOL_APPLICATION_GET \
	"osd pool application get", \
	"osd pool application get " \
	"name=pool,type=CephPoolname,req=fasle " \
	"name=app,type=CephString,req=false " \
	"name=key,type=CephString,req=false", \
	"get value of key <key> of application <app> on pool <poolname>"

#define MON_SIG_OSD_POOL_APPLICATION_SET \
	"osd pool application set", \
	"osd pool application set " \
	"name=pool,type=CephPoolname " \
	"name=app,type=CephString " \
	"name=key,type=CephString,goodchars=[A-Za-z0-9-_.] " \
	"name=value,type=CephString,goodchars=[A-Za-z0-9-_.=]", \
	"sets application <app> metadata key <key> to <value> on pool <poolname>"

#define MON_SIG_OSD_POOL_APPLICATION_RM \
	"osd pool application rm", \
	"osd pool application rm " \
	"name=pool,type=CephPoolname " \
	"name=app,type=CephString " \
	"name=key,type=CephString", \
	"removes application <app> metadata key <key> on pool <poolname>"

#define MON_SIG_OSD_MAP \
	"osd map", \
	"osd map " \
	"name=pool,type=CephPoolname " \
	"name=object,type=CephObjectname " \
	"name=nspace,type=CephString,req=false", \
	"find pg for <object> in <pool> with [namespace]"

#define MON_SIG_CONFIG_KEY_SET \
	"config-key set", \
	"config-key set " \
	"name=key,type=CephString " \
	"name=val,type=CephString,req=false", \
	"set <key> to value <val>"

#define MON_SIG_CONFIG_KEY_PUT \
	"config-key put", \
	"config-key put " \
	"name=key,type=CephString " \
	"name=val,type=CephString,req=false", \
	"put <key>, value <val>"

#define MON_SIG_CONFIG_KEY_GET \
	"config-key get", \
	"config-key get " \
	"name=key,type=CephString", \
	"get <key>"

#define MON_SIG_CONFIG_KEY_LS \
	"config-key ls", \
	"config-key ls", \
	"list keys"

#define MON_SIG_CONFIG_KEY_LIST \
	"config-key list", \
	"config-key list", \
	"list keys"

#define MON_SIG_CONFIG_KEY_RM \
	"config-key rm", \
	"config-key rm " \
	"name=key,type=CephString", \
	"rm <key>"

#define MON_SIG_CONFIG_KEY_DEL \
	"config-key del", \
	"config-key del " \
	"name=key,type=CephString", \
	"delete <key>"

#define MON_SIG_CONFIG_KEY_EXISTS \
	"config-key exists", \
	"config-key exists " \
	"name=key,type=CephString", \
	"check for <key>'s existence"

#define MON_SIG_CONFIG_KEY_DUMP \
	"config-key dump", \
	"config-key dump " \
	"name=key,type=CephString,req=false", \
	"dump keys and values (with optional prefix)"

#define MON_SIG_OSD_LS \
	"osd ls", \
	"osd ls " \
	"name=epoch,type=CephInt,range=0,req=false", \
	"show all OSD ids"

#define MON_SIG_OSD_GETMAXOSD \
	"osd getmaxosd", \
	"osd getmaxosd", \
	"show largest OSD id"

#define MON_SIG_OSD_SETMAXOSD \
	"osd setmaxosd", \
	"osd setmaxosd " \
	"name=newmax,type=CephInt,range=0", \
	"set new maximum osd value"

#define MON_SIG_OSD_CRUSH_CREATE_OR_MOVE \
	"osd crush create-or-move", \
	"osd crush create-or-move " \
	"name=id,type=CephOsdName " \
	"name=weight,type=CephFloat,range=0.0 " \
	"name=args,type=CephString,goodchars=[A-Za-z0-9-_.=],n=N", \
	"create entry or move existing entry for <name> <weight> at/to location <args>"

/* Placement-group statistics (served by Ceph's manager; here by every
 * monitor, from the OSDs' MON_MSG_PG_STATS reports). */
#define MON_SIG_PG_STAT \
	"pg stat", \
	"pg stat", \
	"show placement group status."

#define MON_SIG_PG_DUMP \
	"pg dump", \
	"pg dump " \
	"name=dumpcontents,type=CephChoices,n=N,req=false," \
	"strings=all|summary|sum|delta|pools|osds|pgs|pgs_brief", \
	"show human-readable versions of pg map (only 'all' valid with plain)"

#define MON_SIG_OSD_PERF \
	"osd perf", \
	"osd perf", \
	"print dump of OSD perf summary stats"

#define MON_SIG_PG_LS \
	"pg ls", \
	"pg ls " \
	"name=pool,type=CephInt,req=false " \
	"name=states,type=CephString,n=N,req=false", \
	"list pg with specific pool, osd, state"

#define MON_SIG_PG_LS_BY_POOL \
	"pg ls-by-pool", \
	"pg ls-by-pool " \
	"name=poolstr,type=CephString " \
	"name=states,type=CephString,n=N,req=false", \
	"list pg with pool = [poolname]"

#define MON_SIG_PG_LS_BY_PRIMARY \
	"pg ls-by-primary", \
	"pg ls-by-primary " \
	"name=osd,type=CephOsdName " \
	"name=pool,type=CephInt,req=false " \
	"name=states,type=CephString,n=N,req=false", \
	"list pg with primary = [osd]"

#define MON_SIG_PG_LS_BY_OSD \
	"pg ls-by-osd", \
	"pg ls-by-osd " \
	"name=osd,type=CephOsdName " \
	"name=pool,type=CephInt,req=false " \
	"name=states,type=CephString,n=N,req=false", \
	"list pg on osd [osd]"

#define MON_SIG_PG_MAP \
	"pg map", \
	"pg map " \
	"name=pgid,type=CephPgid", \
	"show mapping of pg to osds"

#define MON_SIG_DF \
	"df", \
	"df " \
	"name=detail,type=CephChoices,req=false,strings=detail", \
	"show cluster free space stats"

#define MON_SIG_OSD_DF \
	"osd df", \
	"osd df " \
	"name=output_method,type=CephChoices,req=false,strings=plain|tree " \
	"name=filter_by,type=CephChoices,req=false,strings=class|name " \
	"name=filter,type=CephString,req=false", \
	"show OSD utilization"

#define MON_SIG_OSD_POOL_STATS \
	"osd pool stats", \
	"osd pool stats " \
	"name=pool_name,type=CephPoolname,req=false", \
	"obtain stats from all pools, or from specified pool"

#endif /* LOLIGO_MON_SIGNATURES_H */
