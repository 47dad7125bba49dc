#ifndef QUADRA_CLIBXML2_SHIM_H
#define QUADRA_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its headers clash with Foundation's own ICU module. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

/* xmlFree is a global function pointer that Swift 6 strict concurrency refuses to touch. */
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
