/*
 * Errno names for the CLIs' error lines: the errno values Linux defines,
 * by name, as Ceph prints them.
 */
#include "tools/ceph_errno.h"

#include <errno.h>
#include <stdio.h>

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"}, {EINTR, "EINTR"},
	{EIO, "EIO"}, {ENXIO, "ENXIO"}, {E2BIG, "E2BIG"}, {ENOEXEC, "ENOEXEC"},
	{EBADF, "EBADF"}, {ECHILD, "ECHILD"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},
	{EACCES, "EACCES"}, {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"},
	{EXDEV, "EXDEV"}, {ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
	{EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"}, {ENOTTY, "ENOTTY"},
	{EFBIG, "EFBIG"}, {ENOSPC, "ENOSPC"}, {ESPIPE, "ESPIPE"}, {EROFS, "EROFS"},
	{EMLINK, "EMLINK"}, {EPIPE, "EPIPE"}, {EDOM, "EDOM"}, {ERANGE, "ERANGE"},
	{EDEADLK, "EDEADLK"}, {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOLCK, "ENOLCK"},
	{ENOSYS, "ENOSYS"}, {ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"},
	{ENOMSG, "ENOMSG"}, {ENODATA, "ENODATA"}, {ETIME, "ETIME"},
	{ENOLINK, "ENOLINK"}, {EPROTO, "EPROTO"}, {EBADMSG, "EBADMSG"},
	{EOVERFLOW, "EOVERFLOW"}, {EOPNOTSUPP, "EOPNOTSUPP"}, {EADDRINUSE, "EADDRINUSE"},
	{ENOBUFS, "ENOBUFS"}, {ENOTCONN, "ENOTCONN"}, {ESHUTDOWN, "ESHUTDOWN"},
	{ETIMEDOUT, "ETIMEDOUT"}, {ECONNREFUSED, "ECONNREFUSED"}, {EMSGSIZE, "EMSGSIZE"},
	{ESTALE, "ESTALE"}, {EDQUOT, "EDQUOT"}, {ECANCELED, "ECANCELED"},
	{ENOTSUP, "ENOTSUP"}, {ENOTRECOVERABLE, "ENOTRECOVERABLE"},
};

const char *ceph_errno_name(int err)
{
	static _Thread_local char buf[16];

	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}
