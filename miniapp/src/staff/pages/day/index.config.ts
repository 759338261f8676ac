export default definePageConfig({ navigationBarTitleText: '今日上门记录', enablePullDownRefresh: true });
