export default definePageConfig({ navigationBarTitleText: '企业办事', enablePullDownRefresh: true });
