#ifndef SMTPX_CLDNS_SHIM_H
#define SMTPX_CLDNS_SHIM_H

// ldns (NLnet Labs) builds and parses DNS packets and reads resolv.conf; libidn2 turns an
// internationalized domain name into its A-label (RFC 5891).
#include <ldns/ldns.h>
#include <idn2.h>

#endif
