#ifndef STOREPILOT_TESTS_INTEGRATION_TEMP_DIR_H_
#define STOREPILOT_TESTS_INTEGRATION_TEMP_DIR_H_

// The integration tests' temp directories: common/temp_dir.h.
#include "common/temp_dir.h"

#endif  // STOREPILOT_TESTS_INTEGRATION_TEMP_DIR_H_
