/* The root XBT log category of lucsim; every module declares a subcategory of it, so users get
 * --log=lucsim.thres:verbose and --log=<module>.thres:debug. */
#include <xbt/log.h>

XBT_LOG_NEW_CATEGORY(lucsim, "lucsim: LUC infrastructure simulator");
