/* Tests of DVMS's failure detector (scheduler/dvms/detector.c): a crashed PM is suspected
 * heartbeat_timeout after its last beat before the crash (beats every heartbeat_period, on the
 * PM's phase), trusted again at its first beat after its repair, and never suspected when it comes
 * back before that; PMs are independent. */
#include "dvms/dvms.h"

#include <CUnit/CUnit.h>
#include <math.h>

static void test_fd_suspects_after_the_timeout_and_trusts_at_the_next_beat(void)
{
  dvms_fd_t* fd = dvms_fd_create(4, 1.0, 3.0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(fd);
  /* PM 0 beats at the whole seconds (phase 0): crashed at 10.4, its last beat was at 10 */
  CU_ASSERT_DOUBLE_EQUAL(dvms_fd_crash(fd, 0, 10.4), 13.0, 1e-12);
  CU_ASSERT_FALSE(dvms_fd_suspects(fd, 0, 12.999));
  CU_ASSERT_TRUE(dvms_fd_suspects(fd, 0, 13.0));
  CU_ASSERT_FALSE(dvms_fd_suspects(fd, 1, 13.0)); /* the others are not concerned */
  dvms_fd_recover(fd, 0, 20.5);                   /* suspected, repaired: trusted at its beat at 21 */
  CU_ASSERT_TRUE(dvms_fd_suspects(fd, 0, 20.9));
  CU_ASSERT_FALSE(dvms_fd_suspects(fd, 0, 21.0));
  /* PM 1's phase is 0.618 s: crashed at 5.0 (last beat 4.618), back at 6.0, before 7.618 */
  double at = dvms_fd_crash(fd, 1, 5.0);
  CU_ASSERT_DOUBLE_EQUAL(at, 4.0 + fmod(0.6180339887498949, 1.0) + 3.0, 1e-9);
  dvms_fd_recover(fd, 1, 6.0);
  CU_ASSERT_FALSE(dvms_fd_suspects(fd, 1, 6.0));
  CU_ASSERT_FALSE(dvms_fd_suspects(fd, 1, at)); /* never suspected */
  dvms_fd_destroy(fd);
  dvms_fd_destroy(NULL);
}

CU_TestInfo dvms_detector_tests[] = {
    {"suspects_after_the_timeout_and_trusts_at_the_next_beat",
     test_fd_suspects_after_the_timeout_and_trusts_at_the_next_beat},
    CU_TEST_INFO_NULL,
};
