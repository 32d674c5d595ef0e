import { describeScenarioExpectations } from './expectations.test-helper.ts';

// The six rows of seed 001's performance table (faultline compare seed001-table), on their fixed seeds.
describeScenarioExpectations('seed001-table', 6);
