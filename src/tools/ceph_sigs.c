/*
 * Where the `ceph` CLI gets its command signatures (ceph_sigs.h).  The
 * monitor's table is the truth; the built-in one below only keeps the CLI
 * usable in a tree where src/mon/mon_signatures.c has not landed.
 */
#include "tools/ceph_sigs.h"

#include <stddef.h>
#include <stdint.h>

#ifdef LOLIGO_HAVE_MON_SIGS
#include "mon/mon_signatures.h"
#endif

#ifndef LOLIGO_HAVE_MON_SIGS
static const char *const fallback_descs[] = {
	"status",
	"health name=detail,type=CephChoices,strings=detail,req=false",
	"fsid",
	"mon stat",
	"mon dump name=epoch,type=CephInt,range=0,req=false",
	"quorum_status",
	"osd create name=uuid,type=CephUUID,req=false name=id,type=CephOsdName,req=false",
	"osd new name=uuid,type=CephUUID name=id,type=CephOsdName,req=false",
	"osd rm name=ids,type=CephString,n=N",
	"osd tree name=epoch,type=CephInt,range=0,req=false",
	"osd dump name=epoch,type=CephInt,range=0,req=false",
	"osd stat",
	"osd in name=ids,type=CephString,n=N",
	"osd out name=ids,type=CephString,n=N",
	"osd down name=ids,type=CephString,n=N",
	"osd getcrushmap name=epoch,type=CephInt,range=0,req=false",
	"osd setcrushmap name=prior_version,type=CephInt,req=false",
	"osd crush add name=id,type=CephOsdName name=weight,type=CephFloat,range=0.0 "
	"name=args,type=CephString,n=N,goodchars=[A-Za-z0-9-_.=]",
	"osd crush remove name=name,type=CephString,goodchars=[A-Za-z0-9-_.] "
	"name=ancestor,type=CephString,req=false,goodchars=[A-Za-z0-9-_.]",
	"osd crush add-bucket name=name,type=CephString,goodchars=[A-Za-z0-9-_.] "
	"name=type,type=CephString "
	"name=args,type=CephString,n=N,goodchars=[A-Za-z0-9-_.=],req=false",
	"osd pool create name=pool,type=CephPoolname "
	"name=pg_num,type=CephInt,range=0,req=false "
	"name=pgp_num,type=CephInt,range=0,req=false",
	"osd pool ls name=detail,type=CephChoices,strings=detail,req=false",
	"osd pool get name=pool,type=CephPoolname "
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule",
	"osd pool set name=pool,type=CephPoolname "
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule "
	"name=val,type=CephString "
	"name=yes_i_really_mean_it,type=CephBool,req=false",
	"osd pool delete name=pool,type=CephPoolname "
	"name=pool2,type=CephPoolname,req=false "
	"name=yes_i_really_really_mean_it,type=CephBool,req=false",
	"osd pool rename name=srcpool,type=CephPoolname name=destpool,type=CephPoolname",
	"osd set name=key,type=CephChoices,strings=full|pause|noup|nodown|noout|noin|"
	"nobackfill|norebalance|norecover|noscrub|nodeep-scrub "
	"name=yes_i_really_mean_it,type=CephBool,req=false",
	"osd unset name=key,type=CephChoices,strings=full|pause|noup|nodown|noout|noin|"
	"nobackfill|norebalance|norecover|noscrub|nodeep-scrub",
	"config-key set name=key,type=CephString name=val,type=CephString,req=false",
	"config-key get name=key,type=CephString",
	"config-key ls",
	"config-key rm name=key,type=CephString",
};
#endif

int ceph_sigs_load(struct cmdsig_table *t, char *err, size_t errlen)
{
#ifdef LOLIGO_HAVE_MON_SIGS
	size_t n = 0;

	while (mon_sigs[n].prefix)
		n++;
	return cmdsig_table_init_strided(t, mon_sigs, n, sizeof(mon_sigs[0]),
					 offsetof(struct mon_sig, signature),
					 offsetof(struct mon_sig, help), err, errlen);
#else
	return cmdsig_table_init(t, fallback_descs, NULL,
				 sizeof(fallback_descs) / sizeof(fallback_descs[0]), err, errlen);
#endif
}
