#!/usr/bin/env bash
# cmake --install into a temporary prefix: the binary, the plugin API (scheduler.h with the headers
# it includes, one folder, and a pkg-config file), the schema, the shipped workloads and platforms,
# the example scheduler and the scripts. A plugin built against the installed files alone (no
# source tree on the include path) runs with the installed binary, which names the run after it,
# and the installed figures script draws its results.
# usage: install.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
cd "$work"
check cmake --install "$(dirname "$lucsim")" --prefix "$work/inst" >/dev/null
inst=$work/inst
for f in bin/lucsim include/lucsim/scheduler.h include/lucsim/core.h include/lucsim/lucsim_err.h \
  share/pkgconfig/lucsim.pc share/lucsim/lucsim.rng share/lucsim/workloads/quickstart.xml \
  share/lucsim/workloads/README.md share/lucsim/platforms/france-backbone.csv share/lucsim/examples/least_loaded.c \
  share/lucsim/scripts/figures share/lucsim/scripts/figures_style.py share/lucsim/scripts/figures_ves.py share/lucsim/scripts/figures_pernode.py share/lucsim/scripts/ci95.py share/lucsim/scripts/sweep; do
  check test -s "$inst/$f"
done
check test -x "$inst/share/lucsim/scripts/figures"
# a plugin from the installed header alone: pkg-config gives its flags
cflags=$(PKG_CONFIG_PATH=$inst/share/pkgconfig pkg-config --cflags lucsim)
cflags=$(echo $cflags) # pkg-config ends with a space
check test "$cflags" = "-I$inst/share/pkgconfig/../../include/lucsim"
check cc -std=c11 -Wall -Wextra -Werror -shared -fPIC $cflags "$inst/share/lucsim/examples/least_loaded.c" -o plugin.so
check "$inst/bin/lucsim" run "$inst/share/lucsim/workloads/quickstart.xml" --set scheduler.plugin="$work/plugin.so" \
  --set duration=120s -q -o run >/dev/null
check test "$(col run/summary.csv scheduler)" = least-loaded
check test "$(col run/summary.csv migrations)" -gt 0
check "$inst/bin/lucsim" validate "$inst/share/lucsim/workloads/luc-france.xml" # finds its backbone file
check "$inst/share/lucsim/scripts/figures" run -o fig --formats png 2>/dev/null
check test -s fig/violation_time.png
finish
