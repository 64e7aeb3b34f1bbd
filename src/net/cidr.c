/* IPv4 parsing and block arithmetic. */
#include "stratus/cidr.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (stratus-cidr-error-quark, stratus_cidr_error)

bool
stratus_address_parse (const char *text, uint32_t *address, GError **error)
{
  uint32_t value = 0;
  const char *p = text;
  for (int part = 0; part < 4; part++)
    {
      if (!g_ascii_isdigit (*p))
        goto bad;
      unsigned v = 0;
      int digits = 0;
      while (g_ascii_isdigit (*p) && digits < 4)
        v = v * 10 + (unsigned) (*p++ - '0'), digits++;
      if (v > 255 || digits > 3 || (digits > 1 && p[-digits] == '0'))
        goto bad;
      value = value << 8 | v;
      if (part < 3 && *p++ != '.')
        goto bad;
    }
  if (*p != '\0')
    goto bad;
  *address = value;
  return true;
bad:
  g_set_error (error, STRATUS_CIDR_ERROR, 0, "'%s' is not an IPv4 address (example: 10.0.1.7)",
               text);
  return false;
}

bool
stratus_cidr_parse (const char *text, StratusCidr *cidr, GError **error)
{
  const char *slash = strchr (text, '/');
  char *address_text = slash ? g_strndup (text, (gsize) (slash - text)) : g_strdup (text);
  uint32_t address;
  bool ok = stratus_address_parse (address_text, &address, NULL);
  g_free (address_text);
  unsigned prefix = 32;
  if (ok && slash != NULL)
    {
      const char *p = slash + 1;
      if (!g_ascii_isdigit (*p) || strlen (p) > 2 || (p[0] == '0' && p[1] != '\0'))
        ok = false;
      else
        {
          prefix = (unsigned) atoi (p);
          for (const char *q = p; *q; q++)
            ok = ok && g_ascii_isdigit (*q);
          ok = ok && prefix <= 32;
        }
    }
  if (!ok)
    {
      g_set_error (error, STRATUS_CIDR_ERROR, 0,
                   "'%s' is not a CIDR block (example: 10.0.0.0/16)", text);
      return false;
    }
  uint32_t mask = stratus_cidr_mask ((uint8_t) prefix);
  if ((address & mask) != address)
    {
      StratusCidr meant = { address & mask, (uint8_t) prefix };
      char *m = stratus_cidr_format (meant);
      g_set_error (error, STRATUS_CIDR_ERROR, 0,
                   "'%s' has bits set past its /%u prefix; did you mean %s?", text, prefix, m);
      g_free (m);
      return false;
    }
  *cidr = (StratusCidr){ address, (uint8_t) prefix };
  return true;
}

bool
stratus_cidr_covers (StratusCidr outer, StratusCidr inner)
{
  return outer.prefix <= inner.prefix && stratus_cidr_contains (outer, inner.address);
}

bool
stratus_cidr_overlaps (StratusCidr a, StratusCidr b)
{
  return stratus_cidr_covers (a, b) || stratus_cidr_covers (b, a);
}

uint64_t
stratus_cidr_size (StratusCidr cidr)
{
  return (uint64_t) 1 << (32 - cidr.prefix);
}

uint32_t
stratus_cidr_nth (StratusCidr cidr, uint64_t n)
{
  g_assert (n < stratus_cidr_size (cidr));
  return cidr.address + (uint32_t) n;
}

char *
stratus_address_format (uint32_t a)
{
  return g_strdup_printf ("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

char *
stratus_cidr_format (StratusCidr cidr)
{
  char *a = stratus_address_format (cidr.address);
  char *s = g_strdup_printf ("%s/%u", a, cidr.prefix);
  g_free (a);
  return s;
}
