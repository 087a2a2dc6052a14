# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'status_change_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_StatusChangeDialog(object):
    def setupUi(self, StatusChangeDialog):
        if not StatusChangeDialog.objectName():
            StatusChangeDialog.setObjectName(u"StatusChangeDialog")
        StatusChangeDialog.resize(420, 200)
        self.mainLayout = QVBoxLayout(StatusChangeDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.statusLabel = QLabel(StatusChangeDialog)
        self.statusLabel.setObjectName(u"statusLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.statusLabel)

        self.status = QComboBox(StatusChangeDialog)
        self.status.setObjectName(u"status")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.status)

        self.dateLabel = QLabel(StatusChangeDialog)
        self.dateLabel.setObjectName(u"dateLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dateLabel)

        self.date = QLineEdit(StatusChangeDialog)
        self.date.setObjectName(u"date")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.date)

        self.meetingLabel = QLabel(StatusChangeDialog)
        self.meetingLabel.setObjectName(u"meetingLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.meetingLabel)

        self.meeting = QComboBox(StatusChangeDialog)
        self.meeting.setObjectName(u"meeting")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.meeting)

        self.noteLabel = QLabel(StatusChangeDialog)
        self.noteLabel.setObjectName(u"noteLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.note = QLineEdit(StatusChangeDialog)
        self.note.setObjectName(u"note")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.note)


        self.mainLayout.addLayout(self.form)

        self.summary = QLabel(StatusChangeDialog)
        self.summary.setObjectName(u"summary")
        self.summary.setWordWrap(True)

        self.mainLayout.addWidget(self.summary)

        self.buttonBox = QDialogButtonBox(StatusChangeDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.statusLabel.setBuddy(self.status)
        self.dateLabel.setBuddy(self.date)
        self.meetingLabel.setBuddy(self.meeting)
        self.noteLabel.setBuddy(self.note)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(StatusChangeDialog)

        QMetaObject.connectSlotsByName(StatusChangeDialog)
    # setupUi

    def retranslateUi(self, StatusChangeDialog):
        StatusChangeDialog.setWindowTitle(QCoreApplication.translate("StatusChangeDialog", u"Changer le statut de l'action", None))
        self.statusLabel.setText(QCoreApplication.translate("StatusChangeDialog", u"Nouveau &statut :", None))
        self.dateLabel.setText(QCoreApplication.translate("StatusChangeDialog", u"&Date :", None))
        self.date.setPlaceholderText(QCoreApplication.translate("StatusChangeDialog", u"jj/mm/aaaa", None))
        self.meetingLabel.setText(QCoreApplication.translate("StatusChangeDialog", u"D\u00e9cid\u00e9 en &r\u00e9union :", None))
        self.noteLabel.setText(QCoreApplication.translate("StatusChangeDialog", u"&Commentaire :", None))
    # retranslateUi

