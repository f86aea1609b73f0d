// RoundGate, the start and finish line of the race scenarios' rounds: what
// the leader prepares is seen by every thread in the round, and what the
// threads do in a round is seen by the leader when it judges it.
#include <gtest/gtest.h>

#include <vector>

#include "hammer.h"

namespace irqfd {
namespace {

TEST(RoundGate, EveryRoundSeesItsPreparationAndIsJudgedComplete) {
  constexpr int kThreads = 4;
  constexpr uint64_t kRounds = 2000;
  RoundGate gate(kThreads);
  uint64_t prepared = 0;  // written by the leader before each round
  std::vector<uint64_t> seen(kThreads);
  int bad_rounds = 0;
  {
    ThreadGroup group;
    for (int t = 0; t < kThreads; ++t)
      group.spawn([&, t] {
        for (uint64_t round = 1; round <= kRounds; ++round) {
          if (t == 0) prepared = round;
          gate.start(t == 0, round);
          seen[t] = prepared;
          gate.finish(t == 0);
          if (t == 0)
            for (uint64_t s : seen) bad_rounds += s != round;
        }
      });
  }
  EXPECT_EQ(bad_rounds, 0) << "a thread saw another round's preparation, or the leader judged "
                              "a round before every thread was through";
}

}  // namespace
}  // namespace irqfd
