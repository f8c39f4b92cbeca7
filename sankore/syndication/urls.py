"""What the catalog sends out: sitemaps, robots.txt, feeds (the widget and OAI-PMH add theirs)."""

from django.urls import path

from sankore.syndication import feeds, views

app_name = "syndication"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap, name="sitemap"),
    path("flux/cours.rss", feeds.NewCoursesFeed(), name="courses_rss"),
    path("flux/cours.atom", feeds.NewCoursesAtomFeed(), name="courses_atom"),
    path("flux/inscriptions.rss", feeds.OpeningSessionsFeed(), name="sessions_rss"),
    path("flux/inscriptions.atom", feeds.OpeningSessionsAtomFeed(), name="sessions_atom"),
    path("partager/widget/", views.widget_builder, name="widget_builder"),
    path("partager/widget/cartes/", views.widget_cards, name="widget_cards"),
    path("partager/widget.js", views.widget_js, name="widget_js"),
]
