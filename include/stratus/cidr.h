/* IPv4 addresses and CIDR blocks. Addresses are host-order 32-bit integers. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct
{
  uint32_t address; /* network address: bits past the prefix are zero */
  uint8_t prefix;   /* 0..32 */
} StratusCidr;

#define STRATUS_CIDR_ERROR (stratus_cidr_error_quark ())
GQuark stratus_cidr_error_quark (void);

/* Parses a dotted quad "10.0.1.7". */
bool stratus_address_parse (const char *text, uint32_t *address, GError **error);

/* Parses "10.0.0.0/16" (a bare address is a /32). Host bits must be zero: "10.0.0.1/16"
 * is an error that names the block it probably meant. */
bool stratus_cidr_parse (const char *text, StratusCidr *cidr, GError **error);

/* The network mask of a prefix length (0 for /0). */
static inline uint32_t
stratus_cidr_mask (uint8_t prefix)
{
  return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/* True if `address` lies in `cidr`. */
static inline bool
stratus_cidr_contains (StratusCidr cidr, uint32_t address)
{
  return (address & stratus_cidr_mask (cidr.prefix)) == cidr.address;
}

/* True if every address of `inner` lies in `outer`. */
bool stratus_cidr_covers (StratusCidr outer, StratusCidr inner);

/* True if the two blocks share at least one address. */
bool stratus_cidr_overlaps (StratusCidr a, StratusCidr b);

/* Number of addresses in the block (2^(32 - prefix)). */
uint64_t stratus_cidr_size (StratusCidr cidr);

/* The n-th address of the block (n < size). */
uint32_t stratus_cidr_nth (StratusCidr cidr, uint64_t n);

/* "10.0.0.0/16" / "10.0.1.7". Caller frees. */
char *stratus_cidr_format (StratusCidr cidr);
char *stratus_address_format (uint32_t address);
