/** 运行监测 (monitoring operator; visited by the tenant admin, leaders and shift leaders): the one-map is the home. */
export { default } from '../pages/monitoring/map';
