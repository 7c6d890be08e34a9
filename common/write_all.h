// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_WRITE_ALL_H_
#define MODRACE_COMMON_WRITE_ALL_H_

// The one loop that writes a buffer whole to a descriptor: short writes go
// on where they stopped, EINTR is retried.

#include <string_view>

namespace modrace {

// Writes every byte of `bytes` to `fd`. False on an error, with errno set;
// a write that makes no progress is ENOSPC's.
bool WriteAll(int fd, std::string_view bytes);

}  // namespace modrace

#endif  // MODRACE_COMMON_WRITE_ALL_H_
