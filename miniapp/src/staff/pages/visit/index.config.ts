export default definePageConfig({ navigationBarTitleText: '上门任务', enablePullDownRefresh: true });
