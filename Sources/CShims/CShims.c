// The helpers are static inline functions in include/CShims.h; this file only gives the
// target a translation unit.
#include "CShims.h"
