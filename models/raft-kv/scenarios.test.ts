import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every raft-kv scenario, every variant it lists, on its fixed seeds.
describeScenarioExpectations('raft-kv', 7);
