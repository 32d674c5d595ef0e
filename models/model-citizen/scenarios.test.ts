import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every citizen scenario, on its fixed seeds, for every variant it declares (yjs and automerge included).
describeScenarioExpectations('citizen', 6);
