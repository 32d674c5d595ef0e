import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every do-conformance scenario, on its fixed seeds, for every variant it declares.
describeScenarioExpectations('do-conformance', 4);
