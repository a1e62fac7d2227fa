/* core_nested.c - nested parallel regions.
 *
 * 3 levels of teams of 2 with max-active-levels 3: every (t0,t1,t2) seen
 * once, levels/active levels/team sizes/ancestor numbers at each level.
 * Then max-active-levels 2 (third level serialized) and 1 (every inner
 * region serialized: team size 1, level grows, active level does not).
 */
#include "check.h"

static int seen[4][4][4];
static int errors;
static char errmsg[256];

static void note_error(const char *fmt, int a, int b, int c)
{
#pragma omp critical(nested_err)
    {
        if (errors++ == 0)
            snprintf(errmsg, sizeof errmsg, fmt, a, b, c);
    }
}

/* Run the 3-level nest with teams of 2 under the given max-active-levels,
 * and check what each level sees.  `real` = number of levels that get a
 * real team of 2. */
static void nest3(int mal)
{
    int real = mal < 3 ? mal : 3;
    memset(seen, 0, sizeof seen);
    errors = 0;
    omp_set_max_active_levels(mal);
    CHECK(omp_get_max_active_levels() == mal, "omp_get_max_active_levels()=%d after set(%d)",
          omp_get_max_active_levels(), mal);

#pragma omp parallel num_threads(2)
    {
        int t0 = omp_get_thread_num();
        int n0 = omp_get_num_threads();
        if (n0 != 2)
            note_error("level 1: team size %d%.0d%.0d", n0, 0, 0);
        if (omp_get_level() != 1 || omp_get_active_level() != 1)
            note_error("level 1: level %d active %d%.0d", omp_get_level(),
                       omp_get_active_level(), 0);
#pragma omp parallel num_threads(2)
        {
            int t1 = omp_get_thread_num();
            int n1 = omp_get_num_threads();
            int want1 = real >= 2 ? 2 : 1;
            int act1 = real >= 2 ? 2 : 1;
            if (n1 != want1)
                note_error("level 2: team size %d, expected %d%.0d", n1, want1, 0);
            if (omp_get_level() != 2 || omp_get_active_level() != act1)
                note_error("level 2: level %d active %d, expected active %d",
                           omp_get_level(), omp_get_active_level(), act1);
            if (omp_get_team_size(1) != 2 || omp_get_team_size(2) != want1)
                note_error("level 2: team sizes %d %d%.0d", omp_get_team_size(1),
                           omp_get_team_size(2), 0);
            if (omp_get_ancestor_thread_num(1) != t0 || omp_get_ancestor_thread_num(2) != t1)
                note_error("level 2: ancestors %d %d (t0=%d)", omp_get_ancestor_thread_num(1),
                           omp_get_ancestor_thread_num(2), t0);
            if (omp_in_parallel() != 1)
                note_error("level 2: omp_in_parallel()=%d%.0d%.0d", omp_in_parallel(), 0, 0);
#pragma omp parallel num_threads(2)
            {
                int t2 = omp_get_thread_num();
                int n2 = omp_get_num_threads();
                int want2 = real >= 3 ? 2 : 1;
                int act2 = real;
                if (n2 != want2)
                    note_error("level 3: team size %d, expected %d%.0d", n2, want2, 0);
                if (omp_get_level() != 3 || omp_get_active_level() != act2)
                    note_error("level 3: level %d active %d, expected active %d",
                               omp_get_level(), omp_get_active_level(), act2);
                if (omp_get_team_size(0) != 1 || omp_get_team_size(1) != 2 ||
                    omp_get_team_size(2) != want1)
                    note_error("level 3: team sizes %d %d %d", omp_get_team_size(0),
                               omp_get_team_size(1), omp_get_team_size(2));
                if (omp_get_team_size(3) != want2 || omp_get_team_size(4) != -1)
                    note_error("level 3: team size(3)=%d size(4)=%d%.0d",
                               omp_get_team_size(3), omp_get_team_size(4), 0);
                if (omp_get_ancestor_thread_num(0) != 0 || omp_get_ancestor_thread_num(1) != t0 ||
                    omp_get_ancestor_thread_num(2) != t1)
                    note_error("level 3: ancestors %d %d %d", omp_get_ancestor_thread_num(0),
                               omp_get_ancestor_thread_num(1), omp_get_ancestor_thread_num(2));
                if (omp_get_ancestor_thread_num(3) != t2 || omp_get_ancestor_thread_num(4) != -1)
                    note_error("level 3: ancestor(3)=%d ancestor(4)=%d t2=%d",
                               omp_get_ancestor_thread_num(3), omp_get_ancestor_thread_num(4), t2);
                if (t0 >= 0 && t0 < 4 && t1 >= 0 && t1 < 4 && t2 >= 0 && t2 < 4) {
#pragma omp atomic
                    seen[t0][t1][t2]++;
                } else {
                    note_error("level 3: thread numbers %d %d %d out of range", t0, t1, t2);
                }
            }
        }
    }

    CHECK(errors == 0, "max-active-levels %d: %d errors, first: %s", mal, errors, errmsg);
    {
        int w1 = real >= 2 ? 2 : 1, w2 = real >= 3 ? 2 : 1, total = 0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int c = 0; c < 4; c++) {
                    int want = (a < 2 && b < w1 && c < w2) ? 1 : 0;
                    CHECK(seen[a][b][c] == want, "max-active-levels %d: (%d,%d,%d) seen %d times",
                          mal, a, b, c, seen[a][b][c]);
                    total += seen[a][b][c];
                }
        printf("max-active-levels %d: team sizes 2/%d/%d, %d innermost threads, each "
               "(t0,t1,t2) once\n",
               mal, w1, w2, total);
    }
}

/* Open a region at `lvl` (serialized: a team of one) and recurse inside it
 * down to level 8; returns the number of wrong observations. */
static int dive(int lvl, int t0)
{
    int bad = 0;
    if (lvl > 8)
        return 0;
#pragma omp parallel num_threads(3) reduction(+ : bad)
    {
        if (!(omp_get_level() == lvl && omp_get_active_level() == 1 &&
              omp_get_num_threads() == 1 && omp_get_team_size(lvl) == 1 &&
              omp_get_ancestor_thread_num(1) == t0 && omp_get_ancestor_thread_num(lvl) == 0 &&
              omp_get_team_size(1) == 2 && omp_get_team_size(lvl + 1) == -1))
            bad++;
        bad += dive(lvl + 1, t0);
    }
    return bad;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    nest3(3);
    nest3(2);
    nest3(1);
    nest3(3); /* and back again: pool teams reused after serialized nests */

    /* Nested teams of different sizes: 3 x 4 with a sum of ancestor numbers. */
    omp_set_max_active_levels(2);
    {
        int count = 0, sum = 0;
#pragma omp parallel num_threads(3) reduction(+ : count, sum)
        {
            int outer = omp_get_thread_num();
            int c = 0, s = 0;
#pragma omp parallel num_threads(4) reduction(+ : c, s)
            {
                c += 1;
                s += omp_get_ancestor_thread_num(1) * 10 + omp_get_thread_num();
                if (omp_get_ancestor_thread_num(1) != outer)
                    c += 1000;
            }
            count += c;
            sum += s;
        }
        CHECK(count == 12, "3x4 nest: %d inner threads", count);
        CHECK(sum == 4 * 10 * (0 + 1 + 2) + 3 * (0 + 1 + 2 + 3), "3x4 nest: sum %d", sum);
        printf("3x4 nest: %d inner threads, sum=%d\n", count, sum);
    }

    /* An inactive outer region (if(0)) does not use up an active level. */
    omp_set_max_active_levels(1);
    {
        int zero = 0, inner = -1, act = -1, lvl = -1;
#pragma omp parallel if (zero)
        {
#pragma omp parallel num_threads(3)
            {
#pragma omp single
                {
                    inner = omp_get_num_threads();
                    act = omp_get_active_level();
                    lvl = omp_get_level();
                }
            }
        }
        CHECK(inner == 3 && act == 1 && lvl == 2,
              "inactive outer region: inner team %d, active level %d, level %d", inner, act, lvl);
        printf("inactive outer + max-active-levels 1: inner team=%d level=%d active=%d\n", inner,
               lvl, act);
    }
    /* Deep serialized nesting: 8 levels, only the first one active. */
    omp_set_max_active_levels(1);
    {
        int deep_bad = 0;
#pragma omp parallel num_threads(2) reduction(+ : deep_bad)
        {
            int t0 = omp_get_thread_num();
            deep_bad += dive(2, t0);
        }
        CHECK(deep_bad == 0, "serialized nested regions: %d wrong", deep_bad);
        printf("serialized nested regions at levels 2..8 inside an active team of 2: ok\n");
    }

    /* A nest that really goes 8 levels deep, one region inside the next. */
    {
        int levels_seen = 0;
        omp_set_max_active_levels(8);
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(2)
        {
            if (omp_get_thread_num() == 1 && omp_get_num_threads() == 2 &&
                omp_get_active_level() == 1)
                levels_seen = omp_get_level();
        }
        CHECK(levels_seen == 8, "8-deep nest: innermost level %d", levels_seen);
        printf("8-deep nest (teams of 1 then 2): innermost level=%d active=1\n", levels_seen);
        omp_set_max_active_levels(1);
    }
    printf("done\n");
    return 0;
}
