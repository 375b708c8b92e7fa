/* soc/soc_caps.h (compat) - the SOC_* capabilities as compile-time constants of one
 * chip, generated from its definition (mmsim_idf_soc.h, see idf/gen), because the
 * upstream sources test them in #if.  Shadows sim/include/soc/soc_caps.h, whose values
 * are run-time expressions of the bound chip. */
#pragma once
#include "mmsim_idf_soc.h"
